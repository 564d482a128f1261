// Every store call answers a promise (Step 9). TypeScript catches most misuse, but not all: a promise
// dropped as a statement, tested in a condition, put into a page's data or a JSON answer, or given to
// filter(). This reads the server's code with TypeScript's own checker and lists such places. A promise
// kept on purpose is awaited, returned, assigned, handed to a call, or ends in then/catch/finally.
import t from 'tap';
import path from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../server/paths.js';

const HANDLED = new Set(['then', 'catch', 'finally']);
const PREDICATES = new Set(['filter', 'some', 'every', 'find', 'findIndex', 'forEach']);

/** Where a promise made by a call is lost or read as a value; `where` names the place. */
function misusedPromises(): string[] {
  const configFile = path.join(projectRoot, 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configFile, { noEmit: true }, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); },
  })!;
  const program = ts.createProgram(config.fileNames.filter((f) => f.includes(`${path.sep}server${path.sep}`)), config.options);
  const checker = program.getTypeChecker();
  const isPromise = (node: ts.Node) => /^Promise</.test(checker.typeToString(checker.getTypeAtLocation(node)));
  /** Promise or null (say, a pending commit): testing it asks whether there is one. */
  const maybeNone = (node: ts.Node) => {
    const type = checker.getTypeAtLocation(node);
    return type.isUnion() && type.types.some((part) => part.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined));
  };
  /** A property declared to hold a promise (a job's end, a body still arriving) holds one on purpose. */
  const expectsPromise = (node: ts.Expression) => /Promise</.test(checker.typeToString(checker.getContextualType(node) ?? checker.getAnyType()));
  const found: string[] = [];
  for (const file of program.getSourceFiles()) {
    if (file.isDeclarationFile || !file.fileName.startsWith(path.join(projectRoot, 'server'))) continue;
    const report = (node: ts.Node, why: string) => {
      const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
      found.push(`${path.relative(projectRoot, file.fileName)}:${line + 1}: ${why}: ${node.getText(file).slice(0, 80)}`);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && isPromise(node)) {
        const handled = ts.isPropertyAccessExpression(node.expression) && HANDLED.has(node.expression.name.text);
        let parent = node.parent;
        while (ts.isParenthesizedExpression(parent)) parent = parent.parent;
        if (ts.isExpressionStatement(parent) && !handled) report(node, 'dropped');
        if ((ts.isPropertyAssignment(parent) && !expectsPromise(node)) || ts.isSpreadAssignment(parent)
          || ts.isSpreadElement(parent) || ts.isTemplateSpan(parent)) report(node, 'used as a value');
        const tested = ((ts.isIfStatement(parent) || ts.isWhileStatement(parent)) && parent.expression === node)
          || (ts.isPrefixUnaryExpression(parent) && parent.operator === ts.SyntaxKind.ExclamationToken)
          || (ts.isBinaryExpression(parent) && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken].includes(parent.operatorToken.kind));
        if (tested && !maybeNone(node)) report(node, 'tested');
      }
      // filter(async …) keeps everything: a promise is truthy
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && PREDICATES.has(node.expression.name.text)) {
        const callback = node.arguments[0];
        if (callback && (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))
          && callback.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) report(node, `async callback to ${node.expression.name.text}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

t.test('the server never drops a promise or reads one as a value', async (t) => {
  t.same(misusedPromises(), [], 'each listed place needs an await (or a then/catch where it runs on by itself)');
});
