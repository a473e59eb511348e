// The shared words of the assistant, at the bottom of src/: the states a FAQ and a group of
// unanswered questions go through, and what became of a question. The store, curation and every
// adapter speak them; none of them owns them.
export { type Channel, channels } from "./answer/types.js";
export { type Role, roles } from "./service.js";

export const interactionStatuses = ["answered", "declined", "refused"] as const;
export type InteractionStatus = (typeof interactionStatuses)[number];

export const groupStatuses = ["aperta", "in_lavorazione", "risolta", "scartata"] as const;
export type GroupStatus = (typeof groupStatuses)[number];

/**
 * Why a question is in the trainers' queue: declined, answered but marked "non utile", or
 * answered with uncertainty (a probable FAQ, documents under the calibrated bar: "da verificare").
 */
export const queueItemKinds = ["declined", "non_utile", "uncertain"] as const;
export type QueueItemKind = (typeof queueItemKinds)[number];

/** The two parts of the queue: questions without an answer, and answers to verify. */
export const queueCategories = ["unanswered", "uncertain"] as const;
export type QueueCategory = (typeof queueCategories)[number];

export const faqStates = ["bozza", "approvata", "pubblicata", "ritirata"] as const;
export type FaqState = (typeof faqStates)[number];
