// The MovieLens CSV layout: `Godfather, The (1972)` titles with the year in parentheses, the
// article moved to the end, alternative titles in parentheses (`Léon: The Professional (a.k.a.
// The Professional) (Léon) (1994)`, `Girl on the Bridge, The (Fille sur le pont, La) (1999)`),
// and pipe-separated genres.

/** Articles MovieLens moves to the end, in the languages of its catalogue. */
const ARTICLES = [
  'The',
  'A',
  'An',
  'La',
  'Le',
  'Les',
  "L'",
  'Il',
  'I',
  'Gli',
  'Lo',
  'Der',
  'Die',
  'Das',
  'Den',
  'Det',
  'De',
  'El',
  'Los',
  'Las',
  'Un',
  'Une',
  'Uno',
  'Una',
  'Ein',
  'Eine',
  'O',
  'Os',
  'As',
];
const TRAILING_ARTICLE = new RegExp(`^(.+), (${ARTICLES.join('|')})$`, 'i');
const YEAR = /\s*\((\d{4})(?:\s*[-–]\s*(?:\d{4})?)?\)\s*$/;
const LAST_GROUP = /^(.*\S)\s*\(([^()]*)\)$/;
const AKA = /^(a\.k\.a\.|aka)\s+/i;

/** `Fille sur le pont, La` -> `La Fille sur le pont`; `Avventura, L'` -> `L'Avventura`. */
export function frontArticle(name: string): string {
  const match = TRAILING_ARTICLE.exec(name.trim());
  if (!match) return name.trim();
  const article = match[2]!;
  return article.endsWith("'") ? `${article}${match[1]}` : `${article} ${match[1]}`;
}

/** An alternative title in parentheses, with its article in front: `a.k.a. Professional, The` too. */
function alternative(group: string): string {
  const aka = AKA.exec(group);
  return aka ? `${aka[0]}${frontArticle(group.slice(aka[0].length))}` : frontArticle(group);
}

/**
 * `Girl on the Bridge, The (Fille sur le pont, La) (1999)` ->
 * { title: 'The Girl on the Bridge (La Fille sur le pont)', year: 1999 }: the title reads naturally
 * and keeps its alternative titles, so a search finds the movie by any of them.
 */
export function parseTitle(raw: string): { title: string; year: number | null } {
  const trimmed = raw.trim();
  const year = YEAR.exec(trimmed);
  let name = year ? trimmed.slice(0, year.index) : trimmed;
  const groups: string[] = [];
  for (let match = LAST_GROUP.exec(name); match; match = LAST_GROUP.exec(name)) {
    // A title that is only parentheses keeps them.
    if (match[1]!.trim() === '') break;
    groups.unshift(match[2]!.trim());
    name = match[1]!;
  }
  const parts = [frontArticle(name), ...groups.filter(Boolean).map((g) => `(${alternative(g)})`)];
  return { title: parts.join(' '), year: year ? Number(year[1]) : null };
}

export function parseGenres(raw: string): string[] {
  if (raw === '' || raw === '(no genres listed)') return [];
  return raw.split('|').map((genre) => genre.trim());
}
