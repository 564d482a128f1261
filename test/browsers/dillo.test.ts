// Dillo (FLTK, no JavaScript, no meta refresh, cookies refused by default; the driver accepts them) through
// the key flow in one session: sign in, add a card on the board, tick it and move it with the board's
// move form, tick checklist items and comment on a card's page, then upload a file from the card's upload
// page. Dillo quotes the multipart boundary and sends no CRLF after the closing one. Every step is checked
// in what the server stored; the file is downloaded again and compared. A screenshot is kept.
//
// Checkboxes, selects, text areas and buttons are clicked at points of the 1024x768 screen (Tab stays in a
// Dillo text area and its focus is not drawn). Each card page is opened at a fragment (#done-…, #comment)
// so that only the part of the page below it decides where things are. After a layout change, read the
// new points off test/browsers/screenshots/dillo-fail.png.
import t from 'tap';
import { listenApp } from '../helpers/app.js';
import { checkGraphicalFlow, driveGraphicalFlow, graphicalFlowBoard } from '../helpers/graphical-flow.js';

t.test('Dillo: sign in, add a card, move it, tick items, comment and attach a file, all stored', async (t) => {
  const contentTypes: string[] = [];
  const { app, store, url } = await listenApp(t, {}, (app) => {
    app.addHook('onRequest', async (request) => {
      if (request.method === 'POST' && request.url.endsWith('/attachments')) contentTypes.push(String(request.headers['content-type']));
    });
  });
  const flow = await graphicalFlowBoard(t, app, store, 'dora', 'Dillo board');
  const card = `${url}${flow.cardPath}`;

  await driveGraphicalFlow(t, 'dillo', url, [
    // Sign in: Tab to the button, then Enter (Dillo does not submit a form with two text boxes on Enter).
    'wait', 'field 1', 'type dora', 'tab', 'type password123', 'tab', 'enter', 'wait-title All boards',
    // The board: Enter in its one text box sends the new card.
    `goto ${url}${flow.boardPath}`, 'wait-title Dillo board', 'field 1', 'type Added in Dillo', 'enter', 'wait-change',
    // Tick the new card (second in Inbox), open the move select, Down to "Done", Return, press Move.
    'click 25 535', 'click 225 593', 'sleep 0.5', 'key Down', 'key Return', 'click 391 593', 'wait-change',
    // The card page at its first checklist item: tick Kitchen and Garage, Save ticks.
    `goto ${card}#done-${await flow.itemId('Kitchen')}`, 'wait-title Scan', 'click 66 85', 'click 66 133', 'click 45 163', 'wait-change',
    // At the comment box (the page's end): click into it, type, press Comment. Dillo shows the copy of the
    // card page it fetched for the ticks (the 303 after them went to a fresh URL), so the history is as it was.
    `goto ${card}#comment`, 'wait-title Scan', 'click 280 490', 'type Scanned, see the file.', 'click 45 542', 'wait-change',
    // The upload page: its first file button, the file, Upload.
    `goto ${card}/attachments`, 'wait-title Attach', 'click 52 261', `choose-file ${flow.upload.path}`,
    'click 34 330', 'wait-change'], 'dillo-uploaded.png');

  await checkGraphicalFlow(t, app, store, flow, 'Added in Dillo', 'Scanned, see the file.');
  t.match(contentTypes[0] ?? '', /boundary="/, 'Dillo quoted the boundary (and the parser took it)');
});
