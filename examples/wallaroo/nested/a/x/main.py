# Not the entrypoint: deeper than b/main.py.
print("never run as the entrypoint")
