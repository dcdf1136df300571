/**
 * The project code a Lambda handler can run: a call graph read off the TypeScript sources with the
 * type checker, from the handler's export to every project function, method, class constructor and
 * variable it references, transitively (packages are left out: the AWS SDK sends what our code asks).
 *
 * A bundle holds every method of every class its handler imports, used or not, so "the bundle
 * mentions GetCommand" cannot say that a function sends it. This can: a method counts only when
 * something reachable names it (`store.open(...)`, `this.put(...)`), a class contributes its
 * constructor and field initialisers when it is reached, and a call through an interface
 * (`engine.understand`) reaches that member of every reached class implementing the interface.
 * It over-approximates where it must (a referenced function counts as called; every nested
 * callback of a reached function is reached), so what it reports is what the code may send.
 */
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { REPOSITORY_ROOT } from '../../local/serverless-config';

/** What one handler can run: the text of each reached declaration, and where it is. */
export interface Reachable {
  /** The source text of every reached declaration (class bodies only in the parts reached). */
  text: string;
  /** `services/core-banking/src/adapters/ledger-store.ts#LedgerStore.transfer`, for diagnostics. */
  declarations: string[];
}

let cached: { program: ts.Program; checker: ts.TypeChecker } | undefined;

function compile(entries: readonly string[]): { program: ts.Program; checker: ts.TypeChecker } {
  if (cached && entries.every((entry) => cached?.program.getSourceFile(entry))) return cached;
  const configFile = join(REPOSITORY_ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configFile, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configFile));
  const program = ts.createProgram({ rootNames: [...entries], options: { ...parsed.options, noEmit: true } });
  cached = { program, checker: program.getTypeChecker() };
  return cached;
}

const isProjectFile = (file: ts.SourceFile) => !file.isDeclarationFile && !file.fileName.includes('/node_modules/');

/**
 * What each handler can run. `handlers` are `<file>#<export>` (`/abs/src/handlers/connect.ts#handler`);
 * every entry is compiled in one program, so call this once with all of them.
 */
export function reachableFrom(handlers: readonly string[]): Map<string, Reachable> {
  const { program, checker } = compile(handlers.map((handler) => handler.split('#')[0] as string));
  const result = new Map<string, Reachable>();
  for (const handler of handlers) {
    const [file, exportName] = handler.split('#') as [string, string];
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`reachable: ${file} is not in the program`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    const exported = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((symbol) => symbol.name === exportName);
    if (!exported) throw new Error(`reachable: ${file} exports no ${exportName}`);
    result.set(handler, walk(checker, resolveAlias(checker, exported)));
  }
  return result;
}

function resolveAlias(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
}

function walk(checker: ts.TypeChecker, root: ts.Symbol): Reachable {
  const reached = new Set<ts.Node>();
  const queue: ts.Node[] = [];
  const classes = new Set<ts.ClassLikeDeclaration>();
  /** Interface (or type literal) members called: `IntentEngine.understand`. */
  const signatures = new Set<ts.Node>();
  const texts: string[] = [];
  const names: string[] = [];

  const enqueue = (node: ts.Node) => {
    if (reached.has(node)) return;
    reached.add(node);
    queue.push(node);
  };

  const reach = (declaration: ts.Declaration) => {
    const file = declaration.getSourceFile();
    if (!isProjectFile(file)) return;
    if (ts.isClassLike(declaration)) {
      reachClass(declaration);
    } else if (ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) {
      signatures.add(declaration);
      for (const cls of classes) implementationsIn(cls, declaration).forEach(enqueue);
    } else if (
      ts.isFunctionDeclaration(declaration) ||
      ts.isMethodDeclaration(declaration) ||
      ts.isGetAccessorDeclaration(declaration) ||
      ts.isSetAccessorDeclaration(declaration) ||
      ts.isVariableDeclaration(declaration) ||
      ts.isPropertyDeclaration(declaration) ||
      ts.isPropertyAssignment(declaration) ||
      ts.isShorthandPropertyAssignment(declaration) ||
      ts.isFunctionExpression(declaration) ||
      ts.isArrowFunction(declaration) ||
      ts.isEnumDeclaration(declaration)
    ) {
      enqueue(declaration);
    }
  };

  const reachClass = (cls: ts.ClassLikeDeclaration) => {
    if (classes.has(cls)) return;
    classes.add(cls);
    // Constructing a class runs its constructor and field initialisers; its methods run when named.
    for (const member of cls.members) {
      if (ts.isConstructorDeclaration(member) || (ts.isPropertyDeclaration(member) && member.initializer) || ts.isClassStaticBlockDeclaration(member)) enqueue(member);
    }
    for (const clause of cls.heritageClauses ?? []) for (const type of clause.types) enqueue(type);
    for (const signature of signatures) implementationsIn(cls, signature).forEach(enqueue);
  };

  /** The members of `cls` (or its bases) that implement `signature`, when `cls` implements its interface. */
  const implementationsIn = (cls: ts.ClassLikeDeclaration, signature: ts.Node): ts.Node[] => {
    const owner = signature.parent;
    const name = (signature as ts.NamedDeclaration).name?.getText();
    if (!name || !owner) return [];
    const ownerSymbol = ts.isInterfaceDeclaration(owner) ? checker.getSymbolAtLocation(owner.name) : undefined;
    const implemented = (cls.heritageClauses ?? [])
      .filter((clause) => clause.token === ts.SyntaxKind.ImplementsKeyword)
      .flatMap((clause) => clause.types.map((type) => checker.getSymbolAtLocation(type.expression)))
      .map((symbol) => symbol && resolveAlias(checker, symbol));
    if (ownerSymbol && !implemented.includes(ownerSymbol)) return [];
    if (!ownerSymbol && implemented.length === 0) return [];
    return cls.members.filter((member) => member.name?.getText() === name && !ts.isPropertyDeclaration(member));
  };

  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
      const symbol = checker.getSymbolAtLocation(node);
      if (symbol) for (const declaration of resolveAlias(checker, symbol).declarations ?? []) reach(declaration);
    } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && !ts.isIdentifier(node.expression) && !ts.isPropertyAccessExpression(node.expression)) {
      // `f()()` or `obj[key]()`: a callee the checker names only by its signature.
      const signature = checker.getResolvedSignature(node);
      const declaration = signature?.getDeclaration();
      if (declaration) reach(declaration as ts.Declaration);
    }
    ts.forEachChild(node, visit);
  };

  for (const declaration of root.declarations ?? []) reach(declaration);
  while (queue.length > 0) {
    const node = queue.shift() as ts.Node;
    const file = node.getSourceFile();
    texts.push(node.getText(file));
    names.push(`${relative(REPOSITORY_ROOT, file.fileName)}#${describe(node)}`);
    visit(node);
  }
  return { text: texts.join('\n'), declarations: names };
}

function describe(node: ts.Node): string {
  const own = (node as ts.NamedDeclaration).name?.getText() ?? ts.SyntaxKind[node.kind];
  const cls = ts.findAncestor(node.parent, ts.isClassLike);
  return cls?.name ? `${cls.name.getText()}.${own}` : own;
}
