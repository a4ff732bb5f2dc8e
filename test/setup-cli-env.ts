import { CONFIG_SETTINGS } from "../src/config/config-settings.js";

// The CLI reads its settings and its config file's location from the environment. A shell that
// ran the README quickstart exports some of them; tests run the CLI in-process, so clear them
// here and every run sees what CI sees. (Tests that need one set it themselves.)
for (const name of ["TOKI_PARITY_CONFIG", "TOKI_PARITY_PROFILE", ...CONFIG_SETTINGS.flatMap((s) => (s.env ? [s.env] : []))]) delete process.env[name];
