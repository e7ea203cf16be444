import * as z from "zod";
import { dyffKind } from "./entity.js";
import { dyffLifecycle } from "./family.js";

/** DataSource: fetches data from a remote source; FetchFailed when the fetch fails. */
export const dataSourceLifecycle = dyffLifecycle({
  kind: "DataSource",
  family: "artifact",
  computes: true,
  workFailures: ["FetchFailed"],
});

export const dataSource = dyffKind(
  dataSourceLifecycle,
  z.object({ source: z.string().default("") }).strict(),
  () => [],
);
