# A Run Once orchestration: main.py at the package root is the entrypoint.
import wallaroo

wl = wallaroo.Client()

# In a task, the arguments come from the task's json_args; outside one, use defaults.
if wl.in_task():
    arguments = wl.task_args()
    workspace_name = arguments["workspace_name"]
    pipeline_name = arguments["pipeline_name"]
else:
    workspace_name = "simpleorchestrationworkspace"
    pipeline_name = "simpleorchestrationpipeline"

print(workspace_name, flush=True)
print(pipeline_name, flush=True)
