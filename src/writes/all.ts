// Every module that defines a write command or hooks into one (intake's
// `afterIntake`, `intakeLinks`). The app imports this through bootstrap and
// the writer thread imports it at start, so a command runs with the same
// hooks in either place. A new command's module belongs on this list.
import '../letters/intake.ts';
import '../letters/pow-spend.ts';
import '../publishing/index.ts';
import '../inbound/settle.ts';
import '../inbound/store.ts';
