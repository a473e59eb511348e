// Inputs that have broken search engines: lunr query syntax, sizes, scripts, markup, control
// characters. Shared by the engine tests and the CLI tests.

export const longQuestion =
  "Quali attività svolgono i navigator nei centri per l'impiego del Piemonte? "
    .repeat(140)
    .slice(0, 10_000);

export const hostileInputs: Array<[label: string, text: string]> = [
  ["lunr field", "foo:"],
  ["lunr field with term", "title:ferie"],
  ["lone tilde", "~"],
  ["boost", "^2"],
  ["leading minus", "-ferie"],
  ["plus and star", "+*"],
  ["lone star", "*"],
  ["unbalanced quote", '"unbalanced'],
  ["fuzzy edit distance", "navigator~2"],
  ["lunr soup", '+title:navigator^10 -body:* ~1 "ferie'],
  ["10,000 characters", longQuestion],
  ["10,000 x", "x".repeat(10_000)],
  ["empty", ""],
  ["only spaces", "      "],
  ["only newlines and tabs", "\n\t\n\t"],
  ["only emoji", "😀🎉👍🏽‍♀️"],
  ["only stop words", "di la il per che"],
  ["control characters", "\u0000\u0007\u001b"],
  ["control characters in a question", "chi firma\u0000 la convenzione\u001b[31m basilicata\u0007"],
  ["SQL-like", "'; DROP TABLE interactions;--"],
  ["HTML", "<script>alert(1)</script>"],
  ["HTML around a question", "<b>navigator</b> <i>Piemonte</i>&nbsp;&amp;"],
  ["URL", "https://www.anpal.gov.it/reddito-di-cittadinanza?utm_source=x&id=1#top"],
  ["very long word", "supercalifragilistichespiralidoso".repeat(300)],
  ["mixed scripts", "navigator Навигатор 导航 ναυτίλος نافيجيتور"],
  ["lone surrogate", "navigator \ud800 rdc"],
  ["zero-width and bidi", "navi\u200bgator\u202e rdc\u2066"],
  ["only punctuation", "?!?!... ;;; ,,, ---"],
  ["only digits", "1234567890"],
  ["apostrophes only", "l' dell' all' un'"],
  ["regex metacharacters", "(.*)+[a-z]{2,}\\d|$^"],
  ["prototype words", "__proto__ constructor toString hasOwnProperty"],
  ["JSON", '{"question": "navigator", "id": 1}'],
];
