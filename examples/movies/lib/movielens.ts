// The MovieLens CSV layout: `Godfather, The (1972)` titles with the year in parentheses and the
// article moved to the end, and pipe-separated genres.

const ARTICLE = /^(.*), (The|A|An)$/;

/** `Godfather, The (1972)` -> { title: 'The Godfather', year: 1972 }. */
export function parseTitle(raw: string): { title: string; year: number | null } {
  const match = /^(.*?)\s*\((\d{4})\)\s*$/.exec(raw.trim());
  const name = (match?.[1] ?? raw).trim();
  const article = ARTICLE.exec(name);
  return {
    title: article ? `${article[2]} ${article[1]}` : name,
    year: match ? Number(match[2]) : null,
  };
}

export function parseGenres(raw: string): string[] {
  if (raw === '' || raw === '(no genres listed)') return [];
  return raw.split('|').map((genre) => genre.trim());
}
