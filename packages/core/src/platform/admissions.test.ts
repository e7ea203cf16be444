import { describe, expect, it } from "vitest";
import { DecodeError } from "../lifecycle/errors.js";
import { type AdmissionRecord, admissionKey, decodeAdmission, encodeAdmission } from "./admissions.js";

const record: AdmissionRecord = {
  id: "e1",
  account: "alice",
  kind: "Evaluation",
  request: { gpu: 1, cpu: 0, memoryGiB: 0, slots: 1 },
  admittedAt: "2026-01-01T00:00:00Z",
  releasedAt: null,
  resourceDeleted: false,
};

describe("admission records", () => {
  it("round-trip through their stored text under admission/<id>", () => {
    expect(admissionKey("e1")).toBe("admission/e1");
    expect(decodeAdmission("admission/e1", encodeAdmission(record))).toEqual(record);
  });

  it("a damaged record is a DecodeError naming the field", () => {
    const bad = decodeAdmission("admission/e1", JSON.stringify({ ...record, request: { gpu: -1 } }));
    expect(bad instanceof DecodeError && bad.issues.map((i) => i.path)).toContain("request.gpu");
    expect(decodeAdmission("admission/e1", "{")).toBeInstanceOf(DecodeError);
  });
});
