// The CLI's defaults for `emulator kleer`, apart from the emulator itself so `--help` can show them
// without loading msw.

/** The token the CLI's emulator accepts unless `--token` says otherwise (a dev token, not a secret). */
export const KLEER_EMULATOR_DEV_TOKEN = "dev-token";
/** Company id of the CLI's emulator unless `--company` says otherwise (Toki's integration company). */
export const KLEER_EMULATOR_DEFAULT_COMPANY_ID = 4875;
