// The seeded generator the fuzz and synthetic tests draw from, so that each is reproduced from its seed.
export { seededRandom as rng } from '../../src/util/seeded-random.ts';
