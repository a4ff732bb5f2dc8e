// Regenerates fixtures/demo/ from the synthetic company generator (deterministic).
import { writeDemoFixtures } from "../src/demo/demo-fixtures.js";

writeDemoFixtures(new URL("../fixtures/demo/", import.meta.url).pathname);
console.log("fixtures/demo written");
