import { DecodeError } from "@phasekit/core";
import { describe, expect, it } from "vitest";
import { decodePostgresConfig } from "./config.js";

describe("PostgreSQL configuration", () => {
  it("fills in the table, the pool and the timeout, quoting the table", () => {
    expect(decodePostgresConfig({ url: "postgres://u@h:5432/db" })).toEqual({
      url: "postgres://u@h:5432/db",
      table: '"phasekit_view"',
      tableName: "phasekit_view",
      maxConnections: 4,
      timeoutMs: 5000,
    });
    expect(decodePostgresConfig({ url: "postgresql://h/db", table: "dyff.view_1" })).toMatchObject({
      table: '"dyff"."view_1"',
    });
  });

  it("names the field, the value and what was expected, and never shows a password", () => {
    const url = decodePostgresConfig({ url: "mongodb://u:hunter2@h/db" }) as DecodeError;
    expect(url).toBeInstanceOf(DecodeError);
    expect(url.message).toContain(
      'url: got "mongodb://u:***@h/db", expected postgres://user@host:port/database',
    );
    expect(url.message).not.toContain("hunter2");
    expect((decodePostgresConfig({ url: "postgres://h" }) as DecodeError).issues[0]!.path).toBe("url");
    expect(
      (decodePostgresConfig({ url: "postgres://h/d", table: 'x"; drop' }) as DecodeError).message,
    ).toContain("table: got");
    expect(
      (decodePostgresConfig({ url: "postgres://h/d", maxConnections: 0 }) as DecodeError).message,
    ).toContain("maxConnections: got 0, expected a whole number >= 1");
  });
});
