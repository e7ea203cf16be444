import { readdirSync, readFileSync } from "node:fs";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import type { Io } from "./io.js";
import { run } from "./main.js";
import { jsonSchemaFiles, specContract } from "./schemas.js";

async function cli(...argv: string[]) {
  let out = "";
  const io: Io = { out: (t) => void (out += t), err: () => {}, interactive: false };
  return { code: await run(argv, io), out };
}

const pkg = new URL("../", import.meta.url);
const examples = new URL("../../../examples/", import.meta.url);
const exampleFiles = readdirSync(examples).filter((f) => f.endsWith(".yaml"));
const committed = (name: string) => readFileSync(new URL(`schema/${name}`, pkg), "utf8");

describe("the JSON Schemas shipped in the CLI package", () => {
  it("match what the zod schemas generate (run `pnpm schema:gen` after changing one)", () => {
    for (const [name, text] of Object.entries(jsonSchemaFiles())) expect(committed(name), name).toBe(text);
  });

  it("ship in the package: schema/ is in its files", () => {
    const json = JSON.parse(readFileSync(new URL("package.json", pkg), "utf8"));
    expect(json.files).toContain("schema");
  });

  it("the scenario schema accepts every example, and each example names it on its first line", () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(committed("scenario.schema.json")));
    expect(exampleFiles.length).toBeGreaterThan(10);
    for (const file of exampleFiles) {
      const text = readFileSync(new URL(file, examples), "utf8");
      expect(text.split("\n")[0], file).toBe(
        "# yaml-language-server: $schema=../packages/cli/schema/scenario.schema.json",
      );
      const ok = validate(parseDocument(text).toJS());
      expect(validate.errors ?? [], file).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it("the scenario schema rejects what the decoder rejects field by field", () => {
    const validate = new Ajv2020({ strict: false }).compile(JSON.parse(committed("scenario.schema.json")));
    const bad = [
      { accounts: { a: { quota: { gpu: -1 } } } },
      { accounts: { a: { quota: { admissions: 2 } } } },
      { faults: { duplicate: 2 } },
      { until: "soon" },
      { resources: [{ kind: "Nope", id: "x", account: "a" }] },
      { colour: "red" },
      { accounts: { a: { tokens: [{ token: "t", verbs: ["fly"] }] } } },
      { accounts: { a: { tokens: [""] } } },
    ];
    for (const input of bad) expect(validate(input), JSON.stringify(input)).toBe(false);
    expect(validate({ accounts: { a: { quota: { slots: 2 } } }, until: "1h30m" })).toBe(true);
    expect(validate({ accounts: {}, until: 90 })).toBe(true);
  });

  it("spec --format json carries $schema and version, and its schema accepts it", async () => {
    const { code, out } = await cli("spec", "--format", "json");
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(Object.keys(json).slice(0, 2)).toEqual(["$schema", "version"]);
    expect(json.version).toBe(1);
    expect(json.$schema).toMatch(/\/schema\/spec\.v1\.schema\.json$/);
    expect(specContract.safeParse(json).success).toBe(true);
    const schema = JSON.parse(committed("spec.v1.schema.json"));
    expect(schema.$id).toBe(json.$schema);
    const validate = new Ajv2020({ strict: false }).compile(schema);
    expect(validate(json)).toBe(true);
    expect(validate({ ...json, version: 2 })).toBe(false);
  });
});
