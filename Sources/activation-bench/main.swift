import ActivationEngine
print("activation-bench: not yet written")
