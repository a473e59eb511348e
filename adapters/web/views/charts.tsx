// Charts drawn on the server as inline SVG: no script, no library, scaled by the browser through
// the viewBox. Every chart has a text alternative (aria-label) and the page shows the numbers too.

export interface DayBar {
  label: string;
  /** Stacked from the bottom: answered, then the rest. */
  answered: number;
  other: number;
}

const chartWidth = 720;

/** Questions per day, answered (green) stacked under the others. */
export function DailyBars(props: { days: DayBar[]; label: string; height?: number }) {
  const height = props.height ?? 200;
  const top = 10;
  const bottom = 24;
  const left = 36;
  const plotHeight = height - top - bottom;
  const plotWidth = chartWidth - left - 8;
  const max = Math.max(1, ...props.days.map((day) => day.answered + day.other));
  const slot = plotWidth / Math.max(1, props.days.length);
  // Thin bars for a year, but never a wall for a single day.
  const barWidth = Math.min(28, Math.max(1, slot * 0.8));
  // About eight date labels, whatever the period.
  const labelEvery = Math.max(1, Math.ceil(props.days.length / 8));
  const y = (value: number) => top + plotHeight - (value / max) * plotHeight;
  return (
    <svg class="chart" viewBox={`0 0 ${chartWidth} ${height}`} role="img" aria-label={props.label}>
      <line
        class="axis"
        x1={left}
        y1={top + plotHeight}
        x2={chartWidth - 8}
        y2={top + plotHeight}
      />
      <text x={left - 6} y={top + 8} text-anchor="end">
        {String(max)}
      </text>
      <text x={left - 6} y={top + plotHeight} text-anchor="end">
        0
      </text>
      {props.days.map((day, i) => {
        const x = left + i * slot + (slot - barWidth) / 2;
        const total = day.answered + day.other;
        return (
          <g>
            <title>{`${day.label}: ${total} (${day.answered})`}</title>
            <rect
              class="bar alt"
              x={x.toFixed(1)}
              y={y(total).toFixed(1)}
              width={barWidth.toFixed(1)}
              height={(y(0) - y(total)).toFixed(1)}
            />
            <rect
              class="bar ok"
              x={x.toFixed(1)}
              y={y(day.answered).toFixed(1)}
              width={barWidth.toFixed(1)}
              height={(y(0) - y(day.answered)).toFixed(1)}
            />
            {i % labelEvery === 0 ? (
              <text x={(x + barWidth / 2).toFixed(1)} y={height - 8} text-anchor="middle">
                {day.label}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}

export interface HorizontalBar {
  label: string;
  value: number;
  /** Printed after the bar ("72%", "140"). */
  shown: string;
}

/** One row per item: a label, a bar proportional to `value / max`, the value printed. */
export function HorizontalBars(props: {
  rows: HorizontalBar[];
  label: string;
  max?: number;
  /** Drawing width in SVG units: smaller for charts in half-width cards, so the text stays legible. */
  width?: number;
}) {
  const chartWidth = props.width ?? 720;
  const rowHeight = 26;
  const labelWidth = Math.round(chartWidth * 0.34);
  const valueWidth = 60;
  const height = Math.max(1, props.rows.length) * rowHeight + 6;
  const max = props.max ?? Math.max(1, ...props.rows.map((row) => row.value));
  const barSpace = chartWidth - labelWidth - valueWidth;
  return (
    <svg class="chart" viewBox={`0 0 ${chartWidth} ${height}`} role="img" aria-label={props.label}>
      {props.rows.map((row, i) => {
        const y = 3 + i * rowHeight;
        const width = Math.max(0, (row.value / max) * barSpace);
        const maxChars = Math.floor(labelWidth / 7);
        const label =
          row.label.length > maxChars ? `${row.label.slice(0, maxChars - 1)}…` : row.label;
        return (
          <g>
            <title>{`${row.label}: ${row.shown}`}</title>
            <text x={labelWidth - 8} y={y + 17} text-anchor="end">
              {label}
            </text>
            <rect
              class="bar"
              x={labelWidth}
              y={y + 4}
              width={width.toFixed(1)}
              height={rowHeight - 8}
            />
            <text x={labelWidth + width + 6} y={y + 17}>
              {row.shown}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
