// A new app's `.env.example`: every setting with its default, read from docs/configuration.md,
// the one table that lists them all (a test holds it complete against what src/ reads).

export interface DocumentedSetting {
  name: string;
  /** The default column as written: `` `8000` ``, `none`, `random per start in development`… */
  default: string;
  meaning: string;
}

const ROW = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|([^|]*)\|(.*)\|\s*$/;
const LITERAL = /^`([^`]*)`$/;
const WIDTH = 100;

/** The rows of the configuration table, in the order the doc gives them. */
export function documentedSettings(markdown: string): DocumentedSetting[] {
  return markdown.split('\n').flatMap((line) => {
    const match = ROW.exec(line);
    if (!match) return [];
    return [{ name: match[1]!, default: match[2]!.trim(), meaning: match[3]!.trim() }];
  });
}

/** Markdown to the plain text a comment holds: links keep their words, code loses its ticks. */
function plain(text: string): string {
  return text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replaceAll('`', '');
}

function commentLines(text: string): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length + 1 + word.length > WIDTH && line !== '#') {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/**
 * Each setting commented out with its default, so a copy changes nothing until a line is
 * uncommented; defaults that are not a value (`none`, `found by convention`) are said in words.
 */
export function envExample(settings: DocumentedSetting[]): string {
  const blocks = settings.map((setting) => {
    const literal = LITERAL.exec(setting.default)?.[1];
    const meaning =
      literal === undefined
        ? `${plain(setting.meaning)} Default: ${plain(setting.default)}.`
        : plain(setting.meaning);
    return [...commentLines(meaning), `# ${setting.name}=${literal ?? ''}`].join('\n');
  });
  const header = [
    '# Every setting of this app, with its default: nothing is required. Copy this file to .env and',
    '# uncomment what differs here (`docker run --env-file .env`, or export the variables).',
  ];
  return `${[header.join('\n'), ...blocks].join('\n\n')}\n`;
}
