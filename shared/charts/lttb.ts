/**
 * Largest-Triangle-Three-Buckets: keeps `threshold` points that preserve the visual shape
 * of a long series (peaks and dips survive, unlike plain striding).
 */
export function lttb<T>(data: readonly T[], threshold: number, x: (d: T) => number, y: (d: T) => number): T[] {
  if (threshold >= data.length || threshold < 3) return data.slice();
  const sampled: T[] = [data[0]!];
  const bucketSize = (data.length - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    const nextStart = Math.floor((i + 1) * bucketSize) + 1;
    const nextEnd = Math.min(Math.floor((i + 2) * bucketSize) + 1, data.length);
    let avgX = 0;
    let avgY = 0;
    for (let j = nextStart; j < nextEnd; j++) {
      avgX += x(data[j]!);
      avgY += y(data[j]!);
    }
    const span = Math.max(1, nextEnd - nextStart);
    avgX /= span;
    avgY /= span;
    const start = Math.floor(i * bucketSize) + 1;
    const end = Math.floor((i + 1) * bucketSize) + 1;
    const ax = x(data[a]!);
    const ay = y(data[a]!);
    let maxArea = -1;
    let chosen = start;
    for (let j = start; j < end; j++) {
      const area = Math.abs((ax - avgX) * (y(data[j]!) - ay) - (ax - x(data[j]!)) * (avgY - ay));
      if (area > maxArea) {
        maxArea = area;
        chosen = j;
      }
    }
    sampled.push(data[chosen]!);
    a = chosen;
  }
  sampled.push(data[data.length - 1]!);
  return sampled;
}
