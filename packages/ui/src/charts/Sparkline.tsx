import { useEffect, useRef } from 'preact/hooks';

const WIDTH_PX = 120;
const HEIGHT_PX = 28;
const LINE_PX = 1.5;
const HEADROOM = 1.25;

/**
 * A tiny line drawn straight on a canvas (a chart.js chart per table cell would cost more
 * than the table). `values` in time order; nulls break the line. The label says the figures.
 */
export function Sparkline({ values, color, label, maxValue }: { values: readonly (number | null)[]; color: string; label: string; maxValue?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (canvas === null || canvas === undefined || ctx === null || ctx === undefined) return;
    const scale = window.devicePixelRatio || 1;
    canvas.width = WIDTH_PX * scale;
    canvas.height = HEIGHT_PX * scale;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.clearRect(0, 0, WIDTH_PX, HEIGHT_PX);
    const present = values.filter((v): v is number => v !== null);
    if (present.length === 0) return;
    // Without a limit, headroom above the highest value: a flat line must not read as "full".
    const top = (maxValue ?? Math.max(...present) * HEADROOM) || 1;
    const stepPx = values.length > 1 ? WIDTH_PX / (values.length - 1) : 0;
    ctx.strokeStyle = color;
    ctx.lineWidth = LINE_PX;
    ctx.beginPath();
    let drawing = false;
    values.forEach((v, i) => {
      if (v === null) {
        drawing = false;
        return;
      }
      const x = i * stepPx;
      const y = HEIGHT_PX - LINE_PX - (v / top) * (HEIGHT_PX - 2 * LINE_PX);
      if (drawing) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      drawing = true;
    });
    ctx.stroke();
  }, [values, color, maxValue]);
  return <canvas ref={ref} class="sparkline" style={{ width: `${WIDTH_PX}px`, height: `${HEIGHT_PX}px` }} role="img" aria-label={label} />;
}
