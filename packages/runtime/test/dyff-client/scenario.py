"""The local Dyff, driven by the real Dyff client (dyff-client 0.27, dyff-schema 0.46), unmodified.

Usage: python scenario.py <endpoint> <alice-token> <bob-token>
Creates a Dataset, a Model, an InferenceService, an Evaluation on them and a Report on the
Evaluation; polls the Evaluation until Complete; queries by status and label; labels; deletes;
checks one refusal of each kind (401, 403, 404, 409, 422, 413). Prints one line per check and
"SCENARIO OK <seconds>" at the end; exits 1 on the first failure.
"""

import json
import os
import sys
import time

import httpx
from dyff.client import Client
from dyff.client.errors import HTTPError
from dyff.schema import platform as P
from dyff.schema import requests as R

endpoint, alice_token, bob_token = sys.argv[1:4]
started = time.monotonic()
alice = Client(api_token=alice_token, endpoint=endpoint, insecure=True)
bob = Client(api_token=bob_token, endpoint=endpoint, insecure=True)


def check(what, ok):
    if not ok:
        print(f"FAILED: {what}", flush=True)
        sys.exit(1)
    print(f"ok: {what}", flush=True)


def refused(status, call):
    """Runs call; returns the problem body of the HTTP error it must raise with this status."""
    try:
        call()
    except HTTPError as e:
        check(f"refused with {status} (got {e.status})", e.status == status)
        return e.payload
    except httpx.HTTPStatusError as e:
        check(f"refused with {status} (got {e.response.status_code})", e.response.status_code == status)
        return e.response.json()
    check(f"refused with {status} (it succeeded)", False)


# A history recorded by polling, as a platform team's CI would record it: every object the client
# read back, one JSON line each, for `phasekit conform` (issue 21). Written when the env names a file.
history_file = os.environ.get("PHASEKIT_DYFF_HISTORY")
pollers = {}


def record(entity, get):
    pollers[entity.id] = get
    if history_file:
        with open(history_file, "a") as out:
            out.write(json.dumps(entity.model_dump(mode="json")) + "\n")
    return entity


def wait_for(get, statuses, timeout=60.0):
    deadline = time.monotonic() + timeout
    while True:
        entity = record(get(), get)
        if entity.status in statuses or time.monotonic() > deadline:
            return entity
        time.sleep(0.1)


schema = P.DataSchema(arrowSchema="")
dataset = alice.datasets.create(
    R.DatasetCreateRequest(
        account="alice",
        name="mnist",
        artifacts=[P.Artifact(kind="parquet", path="data.parquet", digest=P.Digest(md5="abc"))],
        schema=schema,
    )
)
check("a Dataset is created, Created", dataset.status == "Created" and dataset.name == "mnist")
alice.datasets.finalize(dataset.id)
check("a finalized Dataset is Ready", wait_for(lambda: alice.datasets.get(dataset.id), {"Ready"}).status == "Ready")

model = alice.models.create(
    R.ModelCreateRequest(
        account="alice",
        name="tiny",
        artifact=P.ModelArtifact(
            kind="HuggingFaceCache",
            huggingFaceCache=P.ModelArtifactHuggingFaceCache(repoID="org/tiny", revision="main"),
        ),
        source=P.ModelSource(
            kind="HuggingFaceHub",
            huggingFaceHub=P.ModelSourceHuggingFaceHub(repoID="org/tiny", revision="main"),
        ),
        resources=P.ModelResources(storage="1Gi"),
    )
)
check("a Model is created", model.kind == "Model" and model.account == "alice")

service = alice.inferenceservices.create(
    R.InferenceServiceCreateRequest(
        account="alice",
        name="tiny-svc",
        model=model.id,
        runner=P.InferenceServiceRunner(
            kind="vllm",
            image=P.ContainerImageSource(host="registry.example", name="vllm", digest="sha256:" + "0" * 64),
            resources=P.ModelResources(storage="1Gi"),
        ),
        interface=P.InferenceInterface(endpoint="generate", outputSchema=schema),
    )
)
check("an InferenceService embeds its Model", service.model is not None and service.model.id == model.id)

evaluation = alice.evaluations.create(
    R.EvaluationCreateRequest(
        account="alice",
        dataset=dataset.id,
        inferenceSession=R.EvaluationInferenceSessionRequest(inferenceService=service.id),
    )
)
check(
    "an Evaluation embeds its InferenceService",
    evaluation.inferenceSession.inferenceService.id == service.id and evaluation.dataset == dataset.id,
)
report = alice.reports.create(R.ReportCreateRequest(account="alice", rubric="accuracy", evaluation=evaluation.id))
check("a Report names what its Evaluation ran on", report.dataset == dataset.id and report.inferenceService == service.id)

done = wait_for(lambda: alice.evaluations.get(evaluation.id), {"Complete", "Failed", "Terminated"})
check(f"the Evaluation is Complete (got {done.status}/{done.reason})", done.status == "Complete")
report_done = wait_for(lambda: alice.reports.get(report.id), {"Complete", "Failed", "Terminated"})
check(f"the Report is Complete (got {report_done.status})", report_done.status == "Complete")

session = alice.inferencesessions.create(
    R.InferenceSessionCreateRequest(account="alice", inferenceService=service.id)
)
check("an InferenceSession comes with its token field", session.inferencesession.inferenceService.id == service.id)
ready = wait_for(lambda: alice.inferencesessions.get(session.inferencesession.id), {"Ready", "Error"})
check(f"the InferenceSession is Ready (got {ready.status})", ready.status == "Ready")
module = alice.modules.create(
    R.ModuleCreateRequest(account="alice", name="rubrics", artifacts=[P.Artifact(path="rubric.py")])
)
check("a Module is Ready (no work to do)", wait_for(lambda: alice.modules.get(module.id), {"Ready"}).status == "Ready")

# Analyses: a Method, then a Measurement and a SafetyCase that take its name (and level, schema) from it.
implementation = P.MethodImplementation(
    kind="PythonFunction", pythonFunction=P.MethodImplementationPythonFunction(fullyQualifiedName="m.f")
)
measure = alice.methods.create(
    R.MethodCreateRequest(
        account="alice",
        name="accuracy",
        scope="Evaluation",
        implementation=implementation,
        inputs=[P.MethodInput(kind="Evaluation", keyword="evaluation")],
        output=P.MethodOutput(
            kind="Measurement", measurement=P.MeasurementSpec(name="accuracy", level="Dataset", schema=schema)
        ),
    )
)
argue = alice.methods.create(
    R.MethodCreateRequest(
        account="alice",
        name="case",
        scope="Evaluation",
        implementation=implementation,
        output=P.MethodOutput(kind="SafetyCase", safetyCase=P.SafetyCaseSpec(name="case")),
    )
)
inputs = [P.AnalysisInput(keyword="evaluation", entity=evaluation.id)]
measurement = alice.measurements.create(R.AnalysisCreateRequest(account="alice", method=measure.id, inputs=inputs))
check("a Measurement takes its name and level from its Method", measurement.name == "accuracy" and measurement.method.id == measure.id)
case = alice.safetycases.create(R.AnalysisCreateRequest(account="alice", method=argue.id, inputs=inputs))
check("a SafetyCase takes its name from its Method", case.name == "case")
measured = wait_for(lambda: alice.measurements.get(measurement.id), {"Complete", "Failed", "Terminated"})
check(f"the Measurement is Complete (got {measured.status})", measured.status == "Complete")
check("query measurements by method", [m.id for m in alice.measurements.query(method=measure.id)] == [measurement.id])
check("the SafetyCase is Complete", wait_for(lambda: alice.safetycases.get(case.id), {"Complete", "Failed"}).status == "Complete")

alice.evaluations.label(evaluation.id, {"team": "vision", "stage": "ci"})
alice.evaluations.label(evaluation.id, {"stage": None})
labelled = alice.evaluations.get(evaluation.id)
check("labels merge, None removes one", labelled.labels == {"team": "vision"})
by_status = alice.evaluations.query(status="Complete")
check("query by status finds it", [e.id for e in by_status] == [evaluation.id])
by_label = alice.evaluations.query(labels={"team": "vision"})
check("query by label finds it", [e.id for e in by_label] == [evaluation.id])
check("query by another label finds nothing", alice.evaluations.query(labels={"team": "nlp"}) == [])
check("query by the kind's own field", [e.id for e in alice.evaluations.query(dataset=dataset.id)] == [evaluation.id])

# Refusals: each with a JSON body naming the field, the value and what was expected.
stranger = Client(api_token="not-a-token", endpoint=endpoint, insecure=True, retries=0)
body = refused(401, lambda: stranger.evaluations.get(evaluation.id))
check("401 names the Authorization header", body["field"] == "Authorization" and "not-a-token" not in str(body))
body = refused(403, lambda: bob.evaluations.get(evaluation.id))
check("403 names the account", body["field"] == "account" and body["value"] == "alice")
body = refused(404, lambda: alice.evaluations.get("0" * 32))
check("404 names the id", body["field"] == "id" and body["value"] == "0" * 32)
body = refused(409, lambda: alice.evaluations._request("PUT", f"/evaluations/{evaluation.id}/terminate"))
check("409: a Complete Evaluation is not terminated", body["field"] == "status" and body["value"] == "Complete")
bobs_data = bob.datasets.create(
    R.DatasetCreateRequest(
        account="bob", name="b", artifacts=[P.Artifact(kind="parquet", path="b.parquet")], schema=schema
    )
)
body = refused(
    409,
    lambda: alice.evaluations.create(
        R.EvaluationCreateRequest(
            account="alice",
            dataset=bobs_data.id,
            inferenceSession=R.EvaluationInferenceSessionRequest(inferenceService=service.id),
        )
    ),
)
check("409: a dependency of another account", body["type"].endswith("DependencyOfAnotherAccount"))
body = refused(422, lambda: alice.raw.evaluations.create({"account": "alice", "dataset": dataset.id}))
check("422 names the missing field", body["field"] == "inferenceSession")
body = refused(422, lambda: alice.raw.evaluations.label(evaluation.id, {"labels": {"-bad": "x"}}))
check("422 names the bad label key", body["field"] == "labels.-bad")
body = refused(413, lambda: alice.raw.datasets.create({"account": "alice", "name": "x" * (2 * 1024 * 1024)}))
check("413 names the body and the limit", body["field"] == "body" and "bytes" in body["expected"])
evaluations_now = alice.evaluations.query()
check("no refused request changed anything", [e.id for e in evaluations_now] == [evaluation.id])
check("labels unchanged by the refused patch", alice.evaluations.get(evaluation.id).labels == {"team": "vision"})

status = alice.reports.delete(report.id)
check("delete answers Deleted", status.status == "Deleted")
check("a deleted Report reads Deleted", alice.reports.get(report.id).status == "Deleted")
body = refused(409, lambda: alice.reports.delete(report.id))
check("409: deleting a Deleted object", body["field"] == "status" and body["value"] == "Deleted")
check("query by status Deleted", [r.id for r in alice.reports.query(status="Deleted")] == [report.id])

for get in list(pollers.values()):  # one last poll of everything: the deletes show up in the history
    record(get(), get)

print(f"SCENARIO OK {time.monotonic() - started:.2f}s", flush=True)
