// Every page and action of the console with the action (and so the roles) that guards it: the
// access tests walk this list, so a new route without a test shows up here.
import type { CurationAction } from "../../src/curation/policy.js";

export interface RouteCase {
  method: "GET" | "POST";
  path: string;
  action: CurationAction;
  form?: Record<string, string>;
}

/** `ids` names a group and FAQ that exist in the fixture. */
export function consoleRoutes(ids: { group: number; faq: string; document: string }): RouteCase[] {
  const faq = `/faq/${ids.faq}`;
  return [
    { method: "GET", path: "/chiedi", action: "ask" },
    {
      method: "POST",
      path: "/chiedi",
      action: "ask",
      form: { domanda: "chi firma la convenzione?" },
    },
    {
      method: "POST",
      path: "/chiedi/feedback",
      action: "ask",
      form: { interazione: "1", giudizio: "utile" },
    },
    { method: "POST", path: "/chiedi/svuota", action: "ask" },
    { method: "GET", path: "/senza-risposta", action: "unanswered.view" },
    { method: "GET", path: "/senza-risposta.csv", action: "unanswered.view" },
    { method: "GET", path: `/senza-risposta/${ids.group}`, action: "unanswered.view" },
    {
      method: "POST",
      path: `/senza-risposta/${ids.group}/scarta`,
      action: "unanswered.dismiss",
      form: { motivo: "fuori tema" },
    },
    {
      method: "POST",
      path: `/senza-risposta/${ids.group}/dividi`,
      action: "unanswered.regroup",
      form: { domande: "1" },
    },
    {
      method: "POST",
      path: `/senza-risposta/${ids.group}/sposta`,
      action: "unanswered.regroup",
      form: { domande: "1", verso: String(ids.group) },
    },
    {
      method: "POST",
      path: `/senza-risposta/${ids.group}/conferma`,
      action: "suggestions.review",
      form: {},
    },
    {
      method: "POST",
      path: `/senza-risposta/${ids.group}/unisci`,
      action: "unanswered.regroup",
      form: { altri: "999" },
    },
    { method: "GET", path: "/faq", action: "faq.view" },
    { method: "GET", path: "/faq/suggerimenti", action: "suggestions.review" },
    { method: "POST", path: "/faq/suggerimenti/999/rifiuta", action: "suggestions.review" },
    { method: "GET", path: "/faq/nuova", action: "faq.draft" },
    {
      method: "POST",
      path: "/faq",
      action: "faq.draft",
      form: { domanda: "Domanda nuova di prova?", risposta: "Risposta di prova." },
    },
    { method: "GET", path: faq, action: "faq.view" },
    { method: "GET", path: `${faq}/modifica`, action: "faq.edit" },
    {
      method: "POST",
      path: faq,
      action: "faq.edit",
      form: { domanda: "Domanda cambiata?", risposta: "Risposta cambiata.", versione: "1" },
    },
    { method: "POST", path: `${faq}/approva`, action: "faq.approve", form: { versione: "1" } },
    { method: "POST", path: `${faq}/pubblica`, action: "faq.publish", form: { versione: "2" } },
    {
      method: "POST",
      path: `${faq}/ritira`,
      action: "faq.retire",
      form: { versione: "3", motivo: "superata" },
    },
    { method: "GET", path: `${faq}/versioni`, action: "faq.view" },
    { method: "GET", path: "/andamento", action: "stats.view" },
    { method: "GET", path: "/andamento.csv", action: "stats.view" },
    { method: "GET", path: "/documenti", action: "documents.view" },
    { method: "GET", path: `/documenti/${ids.document}`, action: "documents.view" },
    {
      method: "POST",
      path: `/documenti/${ids.document}/reindicizza`,
      action: "documents.reingest",
    },
    { method: "GET", path: "/registro", action: "audit.view" },
  ];
}
