# Rejected: the package carries two requirements.txt files; at most one is allowed.
print("hello")
