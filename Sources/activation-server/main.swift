print("activation-server: not yet wired")
