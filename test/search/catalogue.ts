// A realistic movie catalogue for the search suites: MovieLens-style wrinkles (articles, sequels
// with numbers, colons, alternative titles, accents) and near misses for every ranking test.

import { deriveModel } from '../../src/model/derive-model.ts';
import type { ModelDescription } from '../../src/model/table-description.ts';

export const catalogueDocument = {
  openapi: '3.1.0',
  info: { title: 'catalogue', version: '1' },
  paths: {},
  components: {
    schemas: {
      Movie: {
        type: 'object',
        'x-tablename': 'movies',
        required: ['title'],
        properties: {
          id: { type: 'integer', format: 'int64', 'x-primary-key': true, readOnly: true },
          title: { type: 'string', maxLength: 300, 'x-search': { weight: 'A' } },
          description: { type: ['string', 'null'], 'x-search': true },
          release_year: { type: ['integer', 'null'] },
          genres: { type: 'array', items: { type: 'string' }, default: [] },
        },
      },
    },
  },
};

export const catalogueModel: ModelDescription = deriveModel(catalogueDocument, 'catalogue.yaml');

export interface CatalogueMovie {
  title: string;
  release_year: number | null;
  genres: string[];
  description?: string;
}

const m = (
  title: string,
  release_year: number | null,
  genres: string,
  description?: string,
): CatalogueMovie => ({
  title,
  release_year,
  genres: genres ? genres.split('|') : [],
  ...(description ? { description } : {}),
});

/** Titles as parseTitle stores them (article in front, alternative titles kept in parentheses). */
export const CATALOGUE: CatalogueMovie[] = [
  m('The Matrix', 1999, 'Action|Sci-Fi|Thriller', 'A hacker learns that reality is a simulation.'),
  m('The Matrix Reloaded', 2003, 'Action|Adventure|Sci-Fi|Thriller IMAX'),
  m('The Matrix Revolutions', 2003, 'Action|Adventure|Sci-Fi|Thriller IMAX'),
  m('The Animatrix', 2003, 'Action|Animation|Drama|Sci-Fi'),
  m('Matrix of Evil', 2003, 'Horror'),
  m('The Thirteenth Floor', 1999, 'Drama|Sci-Fi', 'A virtual world that resembles the matrix.'),
  m('Léon: The Professional (a.k.a. The Professional) (Léon)', 1994, 'Action|Crime|Drama|Thriller'),
  m('Émile', 2003, 'Drama'),
  m('Emile and the Detectives', 1964, 'Children|Adventure'),
  m("Amélie (Fabuleux destin d'Amélie Poulain, Le)", 2001, 'Comedy|Romance'),
  m('The Girl on the Bridge (La fille sur le pont)', 1999, 'Drama|Romance'),
  m('Top Gun', 1986, 'Action|Romance'),
  m('Top Gun: Maverick', 2022, 'Action|Drama'),
  m('Top Secret!', 1984, 'Comedy'),
  m('Topsy-Turvy', 1999, 'Comedy|Drama'),
  m('Guns of Navarone', 1961, 'Action|Adventure|Drama|War'),
  m('The Lord of the Rings: The Fellowship of the Ring', 2001, 'Adventure|Fantasy'),
  m('The Lord of the Rings: The Two Towers', 2002, 'Adventure|Fantasy'),
  m('The Lord of the Rings: The Return of the King', 2003, 'Action|Adventure|Drama|Fantasy'),
  m('Lord of War', 2005, 'Action|Crime|Drama|Thriller'),
  m('Lord of the Flies', 1990, 'Adventure|Drama|Thriller'),
  m('The Ring', 2002, 'Horror|Mystery|Thriller'),
  m('The Ring Two', 2005, 'Drama|Horror|Mystery|Thriller'),
  m('Rings', 2017, 'Horror'),
  m('Lords of Dogtown', 2005, 'Drama'),
  m('The Last King of Scotland', 2006, 'Drama|Thriller'),
  m(
    'The Hobbit: An Unexpected Journey',
    2012,
    'Adventure|Fantasy',
    'A prequel to the lord of the rings, where Bilbo finds the ring.',
  ),
  m('Star Wars: Episode IV - A New Hope', 1977, 'Action|Adventure|Sci-Fi'),
  m('Star Wars: Episode V - The Empire Strikes Back', 1980, 'Action|Adventure|Sci-Fi'),
  m('Star Trek II: The Wrath of Khan', 1982, 'Action|Adventure|Sci-Fi|Thriller'),
  m('Toy Story', 1995, 'Adventure|Animation|Children|Comedy|Fantasy'),
  m('Toy Story 2', 1999, 'Adventure|Animation|Children|Comedy|Fantasy'),
  m('Toy Story 3', 2010, 'Adventure|Animation|Children|Comedy|Fantasy|IMAX'),
  m('Rocky', 1976, 'Drama'),
  m('Rocky II', 1979, 'Action|Drama'),
  m('Rocky III', 1982, 'Action|Drama'),
  m('Alien', 1979, 'Horror|Sci-Fi'),
  m('Aliens', 1986, 'Action|Adventure|Horror|Sci-Fi'),
  m('Alien³ (a.k.a. Alien 3)', 1992, 'Action|Horror|Sci-Fi|Thriller'),
  m('2001: A Space Odyssey', 1968, 'Adventure|Drama|Sci-Fi'),
  m('2046', 2004, 'Drama|Fantasy|Romance|Sci-Fi'),
  m('Se7en (a.k.a. Seven)', 1995, 'Mystery|Thriller'),
  m("Ocean's Eleven", 2001, 'Crime|Thriller'),
  m('12 Angry Men', 1957, 'Drama'),
  m('The Godfather', 1972, 'Crime|Drama'),
  m('The Godfather: Part II', 1974, 'Crime|Drama'),
  m('The Godfather: Part III', 1990, 'Crime|Drama|Mystery|Thriller'),
  m("Schindler's List", 1993, 'Drama|War'),
  m('Gladiator', 2000, 'Action|Adventure|Drama'),
  m('The Gladiators', 1969, 'Sci-Fi'),
  m('Terminator 2: Judgment Day', 1991, 'Action|Sci-Fi'),
  m('The Terminator', 1984, 'Action|Sci-Fi|Thriller'),
  m('City of God (Cidade de Deus)', 2002, 'Action|Adventure|Crime|Drama|Thriller'),
  m('Crouching Tiger, Hidden Dragon (Wo hu cang long)', 2000, 'Action|Drama|Romance'),
  m('Spirited Away (Sen to Chihiro no kamikakushi)', 2001, 'Adventure|Animation|Fantasy'),
  m('Das Boot', 1981, 'Action|Drama|War'),
  m('Les Misérables', 2012, 'Drama|Musical|Romance|IMAX'),
  m('La La Land', 2016, 'Comedy|Drama|Romance'),
  m('El Mariachi', 1992, 'Action|Crime|Thriller|Western'),
  m('Il Postino: The Postman (Postino, Il)', 1994, 'Comedy|Drama|Romance'),
  m('Die Hard', 1988, 'Action|Crime|Thriller'),
  m('Die Hard 2', 1990, 'Action|Adventure|Thriller'),
  m('Fargo', 1996, 'Comedy|Crime|Drama|Thriller'),
  m('Amadeus', 1984, 'Drama'),
  m('Pulp Fiction', 1994, 'Comedy|Crime|Drama|Thriller'),
  m('Forrest Gump', 1994, 'Comedy|Drama|Romance|War'),
  m('Casablanca', 1942, 'Drama|Romance'),
  m('Vertigo', 1958, 'Drama|Mystery|Romance|Thriller'),
  m('Psycho', 1960, 'Crime|Horror'),
  m('WALL·E', 2008, 'Adventure|Animation|Children|Romance|Sci-Fi'),
  m('Åsa-Nisse', 1949, 'Comedy'),
  m(
    "Kiki's Delivery Service (Majo no takkyûbin)",
    1989,
    'Adventure|Animation|Children|Drama|Fantasy',
  ),
  m('Sleepless in Seattle', 1993, 'Comedy|Drama|Romance'),
  m('The Professional (a.k.a. Golgo 13)', 1983, 'Animation'),
];

const FILLER_WORDS = [
  'night',
  'river',
  'summer',
  'house',
  'road',
  'winter',
  'shadow',
  'city',
  'dream',
  'stone',
];

/** Plain filler titles, so ranking works against a realistic background, not an empty index. */
export function fillerMovies(count: number): CatalogueMovie[] {
  const out: CatalogueMovie[] = [];
  for (let i = 0; i < count; i += 1) {
    const a = FILLER_WORDS[i % FILLER_WORDS.length]!;
    const b = FILLER_WORDS[(i * 7 + 3) % FILLER_WORDS.length]!;
    out.push(
      m(
        `${a[0]!.toUpperCase()}${a.slice(1)} of the ${b} ${i}`,
        1950 + (i % 70),
        i % 2 ? 'Drama' : 'Comedy',
      ),
    );
  }
  return out;
}
