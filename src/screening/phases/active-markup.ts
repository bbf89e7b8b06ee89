// A letter by email that holds active markup (a script URL, an event
// handler, an element that runs or loads): the form and the API refuse such
// text, mail cannot be refused, so it is flagged with the reason. It is shown
// escaped like everything else; the flag tells the editor someone tried.
import { activeMarkup } from '../../util/active-markup.ts';
import type { ScreeningPhase } from '../pipeline.ts';

export const activeMarkupPhase: ScreeningPhase = {
  name: 'active-markup',
  run(ctx) {
    const inText = activeMarkup(ctx.letter.text);
    const inName = inText ? null : ctx.letter.name ? activeMarkup(ctx.letter.name) : null;
    if (!inText && !inName) return;
    return { flags: ['active_markup'], details: { active_markup: inText ? `the letter ${inText}` : `the writer's name ${inName}` } };
  },
};
