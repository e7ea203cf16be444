# Rejected: the package has no main.py anywhere, so it has no entrypoint.
print("nobody calls me")
