// The corpus as the repository ships it, copied once per test process into a temporary folder.
// Tests never read the live knowledge/ folder: documents a developer adds there with
// `sportello ingest` (or through a running service) would change what the tests see, and a test
// must never write to it either.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";

/** knowledge/ of this checkout, from tests/support (vitest) or dist/tests/support (benchmarks). */
const liveKnowledge =
  [
    join(import.meta.dirname, "../../knowledge"),
    join(import.meta.dirname, "../../../knowledge"),
  ].find((dir) => existsSync(join(dir, "manifest.yaml"))) ?? join(process.cwd(), "knowledge");

/** The documents that ship in knowledge/manifest.yaml; anything else there was added locally. */
export const shippedDocumentIds = [
  "convenzione-basilicata",
  "relazione-anpal-servizi-2019",
  "piemonte-dd-369-2020",
  "piano-at-emilia-romagna",
] as const;

interface ManifestEntry {
  id: string;
  file: string;
}

function copyShippedKnowledge(): string {
  const dir = mkdtempSync(join(tmpdir(), "sportello-knowledge-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  const manifest = parse(readFileSync(join(liveKnowledge, "manifest.yaml"), "utf8")) as {
    documents: ManifestEntry[];
  };
  const shipped = manifest.documents.filter((entry) =>
    (shippedDocumentIds as readonly string[]).includes(entry.id),
  );
  for (const entry of shipped) {
    cpSync(join(liveKnowledge, entry.file), join(dir, entry.file));
  }
  writeFileSync(join(dir, "manifest.yaml"), stringify({ ...manifest, documents: shipped }));
  cpSync(join(liveKnowledge, "faq"), join(dir, "faq"), { recursive: true });
  const thesaurus = join(liveKnowledge, "thesaurus.yaml");
  if (existsSync(thesaurus)) cpSync(thesaurus, join(dir, "thesaurus.yaml"));
  return dir;
}

/** The temporary copy of the shipped corpus (documents, manifest, FAQ, thesaurus). */
export const shippedKnowledge = copyShippedKnowledge();
