// Times arrive as UTC unix seconds and are shown in the merchant's zone (Asia/Shanghai for
// a mainland shop), to the second. Dates for filters are `YYYY-MM-DD` in that zone.

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

type Parts = {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
};

function partsOf(unixSeconds: number, timeZone: string): Parts {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(unixSeconds * 1000))) {
    parts[part.type] = part.value;
  }
  return {
    year: parts.year ?? '',
    month: parts.month ?? '',
    day: parts.day ?? '',
    hour: parts.hour ?? '',
    minute: parts.minute ?? '',
    second: parts.second ?? '',
  };
}

/** Formats unix seconds as `YYYY-MM-DD HH:mm:ss` in the given zone. */
export function formatTime(unixSeconds: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = partsOf(unixSeconds, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** Returns the calendar date `YYYY-MM-DD` of an instant in the given zone. */
export function dateIn(unixSeconds: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const p = partsOf(unixSeconds, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** Moves a `YYYY-MM-DD` date by whole days; calendar arithmetic, so no zone is involved. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const moved = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days));
  return moved.toISOString().slice(0, 10);
}

/**
 * Converts a wall-clock `YYYY-MM-DDTHH:mm[:ss]` in the given zone to unix seconds. The zone's
 * offset is read back from Intl, so zones with daylight saving work too.
 */
export function zonedToUnix(local: string, timeZone: string = DEFAULT_TIME_ZONE): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(local);
  if (match === null) {
    return null;
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map((v) => Number(v ?? 0));
  const asUtc =
    Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour ?? 0, minute ?? 0, second ?? 0) / 1000;

  // The first guess is off by the zone's offset at that instant; one correction suffices
  // except within the hour of a daylight-saving change.
  const offsetAt = (instant: number): number => {
    const p = partsOf(instant, timeZone);
    const wall =
      Date.UTC(
        Number(p.year),
        Number(p.month) - 1,
        Number(p.day),
        Number(p.hour),
        Number(p.minute),
        Number(p.second),
      ) / 1000;
    return wall - instant;
  };
  const firstGuess = asUtc - offsetAt(asUtc);
  return asUtc - offsetAt(firstGuess);
}
