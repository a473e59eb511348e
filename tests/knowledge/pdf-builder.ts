// Builds test PDFs with pdf-lib: text placed at given positions in Helvetica (bold or not).
import { PDFDocument, StandardFonts } from "pdf-lib";

export interface PlacedText {
  text: string;
  x: number;
  y: number;
  size: number;
  bold?: boolean;
}

export interface PdfPage {
  /** Width and height in points; A4 portrait by default. */
  size?: [number, number];
  lines: PlacedText[];
}

export async function pdfBytes(pages: PdfPage[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  for (const spec of pages) {
    const page = pdf.addPage(spec.size ?? [595, 842]);
    for (const line of spec.lines) {
      page.drawText(line.text, {
        x: line.x,
        y: line.y,
        size: line.size,
        font: line.bold ? bold : regular,
      });
    }
  }
  return pdf.save();
}

/** Words of `text` in lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current && current.length + word.length + 1 > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}
