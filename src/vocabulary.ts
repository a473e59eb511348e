// The shared words of the assistant, at the bottom of src/: the states a FAQ and a group of
// unanswered questions go through, and what became of a question. The store, curation and every
// adapter speak them; none of them owns them.
export { type Channel, channels } from "./answer/types.js";
export { type Role, roles } from "./service.js";

export const interactionStatuses = ["answered", "declined", "refused"] as const;
export type InteractionStatus = (typeof interactionStatuses)[number];

export const groupStatuses = ["aperta", "in_lavorazione", "risolta", "scartata"] as const;
export type GroupStatus = (typeof groupStatuses)[number];

export const faqStates = ["bozza", "approvata", "pubblicata", "ritirata"] as const;
export type FaqState = (typeof faqStates)[number];
