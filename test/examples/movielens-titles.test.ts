import { describe, expect, it } from 'vitest';
import { parseTitle } from '../../examples/movies/lib/movielens.ts';

describe('MovieLens titles', () => {
  it.each([
    ['Godfather, The (1972)', 'The Godfather', 1972],
    ['Toy Story (1995)', 'Toy Story', 1995],
    ['Matrix, The (1999)', 'The Matrix', 1999],
    [
      'Léon: The Professional (a.k.a. The Professional) (Léon) (1994)',
      'Léon: The Professional (a.k.a. The Professional) (Léon)',
      1994,
    ],
    [
      'Girl on the Bridge, The (Fille sur le pont, La) (1999)',
      'The Girl on the Bridge (La Fille sur le pont)',
      1999,
    ],
    [
      'City of Lost Children, The (Cité des enfants perdus, La) (1995)',
      'The City of Lost Children (La Cité des enfants perdus)',
      1995,
    ],
    [
      'Good, the Bad and the Ugly, The (Buono, il brutto, il cattivo, Il) (1966)',
      'The Good, the Bad and the Ugly (Il Buono, il brutto, il cattivo)',
      1966,
    ],
    ['Boot, Das (1981)', 'Das Boot', 1981],
    ['Misérables, Les (1995)', 'Les Misérables', 1995],
    ["Avventura, L' (Adventure, The) (1960)", "L'Avventura (The Adventure)", 1960],
    ['Postino, Il (Postman, The) (1994)', 'Il Postino (The Postman)', 1994],
    ['Mariachi, El (1992)', 'El Mariachi', 1992],
    ['Homme et une femme, Un (1966)', 'Un Homme et une femme', 1966],
    ['Star Is Born, A (1954)', 'A Star Is Born', 1954],
    ['Shaft (a.k.a. Professional, The) (2000)', 'Shaft (a.k.a. The Professional)', 2000],
    ['Star Wars: Episode IV - A New Hope (1977)', 'Star Wars: Episode IV - A New Hope', 1977],
    ['Babylon 5', 'Babylon 5', null],
    ['Stranger Things (2016-)', 'Stranger Things', 2016],
    ['  Hamlet (2000)  ', 'Hamlet', 2000],
    ['Se7en (a.k.a. Seven) (1995)', 'Se7en (a.k.a. Seven)', 1995],
    ['1492: Conquest of Paradise (1992)', '1492: Conquest of Paradise', 1992],
  ])('%s reads as %s', (raw, title, year) => {
    expect(parseTitle(raw)).toEqual({ title, year });
  });
});
