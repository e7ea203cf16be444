# The entrypoint: no main.py at the root, so the shallowest one is used (b/main.py, depth 2),
# not a/x/main.py (depth 3), although "a" sorts before "b".
from helpers import greet

print(greet("wallaroo"), flush=True)
