// Concurrent writers creating pets over HTTP until stopped, keeping what was acknowledged (2xx),
// the other statuses and the connection errors, for the fault suites.

export interface PetWriters {
  acknowledged: Array<{ id: number; name: string }>;
  statuses: number[];
  /** Connection errors by their code (ECONNREFUSED once the server is gone). */
  errors: string[];
  stop(): Promise<void>;
}

export function startPetWriters(url: string, count: number): PetWriters {
  const result: PetWriters = { acknowledged: [], statuses: [], errors: [], stop: async () => {} };
  let stopped = false;
  const writer = async (w: number) => {
    for (let i = 0; !stopped; i++) {
      const name = `pet-${w}-${i}`;
      try {
        const response = await fetch(`${url}/api/pets`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name, tag: 'fault-test' }),
        });
        const body = await response.text();
        if (response.status >= 200 && response.status < 300) {
          result.acknowledged.push({ id: (JSON.parse(body) as { id: number }).id, name });
        } else {
          result.statuses.push(response.status);
        }
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause;
        result.errors.push(cause?.code ?? String(error));
        // Nothing listens any more: wait for stop() instead of spinning.
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
  };
  const writers = Array.from({ length: count }, (_, w) => writer(w));
  result.stop = async () => {
    stopped = true;
    await Promise.all(writers);
  };
  return result;
}

/** Reads every acknowledged pet back: the names of those missing or changed. */
export async function missingPets(
  url: string,
  pets: PetWriters['acknowledged'],
): Promise<string[]> {
  const missing: string[] = [];
  for (const pet of pets) {
    const response = await fetch(`${url}/api/pets/${pet.id}`);
    const body =
      response.status === 200 ? ((await response.json()) as { name: string }) : undefined;
    if (body?.name !== pet.name) missing.push(pet.name);
  }
  return missing;
}
