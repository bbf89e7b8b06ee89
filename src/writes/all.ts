// Every module that defines a write command. The writer thread imports this
// at start, so that it knows every command by name; a command whose module is
// missing here fails loudly there ("unknown write command"), and a test runs
// each command through the writer thread.
import '../letters/intake.ts';
import '../letters/pow-spend.ts';
import '../inbound/store.ts';
