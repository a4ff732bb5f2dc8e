import fc from "fast-check";

// Property-based tests run from a fixed seed so that every run (and CI) explores the same cases;
// set FC_SEED to explore others (a failure prints the seed and path to replay it).
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261125) });
