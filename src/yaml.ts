// The YAML parser, loaded on first use: commands that read no YAML (a cold `sportello ask` with
// its caches in place) do not pay for loading it.
import { createRequire } from "node:module";

type YamlModule = typeof import("yaml");

let loaded: YamlModule | undefined;

/** The `yaml` package (loaded synchronously the first time it is needed). */
export function yaml(): YamlModule {
  loaded ??= createRequire(import.meta.url)("yaml") as YamlModule;
  return loaded;
}
