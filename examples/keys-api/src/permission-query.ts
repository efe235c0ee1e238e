/**
 * v2's permission queries: `"a AND (b OR c)"`. v1 sent the same logic as a JSON tree
 * (`{and: ["a", {or: ["b", "c"]}]}`); the version change turns one into the other.
 */
export type PermissionTree = string | { and: PermissionTree[] } | { or: PermissionTree[] };

const TOKEN = /\s*(\(|\)|[A-Za-z0-9_.:*-]+)\s*/y;

export class PermissionQueryError extends Error {}

/** Parse a query to a tree; throws PermissionQueryError with the position of the problem. */
export function parsePermissionQuery(query: string): PermissionTree {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < query.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(query);
    if (!m) throw new PermissionQueryError(`Unexpected character at position ${at}.`);
    tokens.push(m[1]!);
  }
  let i = 0;
  const peekOp = (op: string) => tokens[i]?.toUpperCase() === op;
  const expr = (): PermissionTree => join("OR", "or", term);
  const term = (): PermissionTree => join("AND", "and", factor);
  function join(op: string, key: "and" | "or", next: () => PermissionTree): PermissionTree {
    const parts = [next()];
    while (peekOp(op)) {
      i++;
      parts.push(next());
    }
    return parts.length === 1 ? parts[0]! : ({ [key]: parts } as PermissionTree);
  }
  function factor(): PermissionTree {
    const t = tokens[i++];
    if (t === undefined) throw new PermissionQueryError("The query ends where a permission was expected.");
    if (t === "(") {
      const inner = expr();
      if (tokens[i++] !== ")") throw new PermissionQueryError("A parenthesis is not closed.");
      return inner;
    }
    if (t === ")" || t.toUpperCase() === "AND" || t.toUpperCase() === "OR") throw new PermissionQueryError(`Expected a permission, found "${t}".`);
    return t;
  }
  const tree = expr();
  if (i < tokens.length) throw new PermissionQueryError(`Unexpected "${tokens[i]}".`);
  return tree;
}

/** Render a tree as a query string, parenthesising nested groups. */
export function formatPermissionQuery(tree: PermissionTree, nested = false): string {
  if (typeof tree === "string") return tree;
  const [op, parts] = "and" in tree ? ["AND", tree.and] : ["OR", tree.or];
  const text = parts.map((p) => formatPermissionQuery(p, true)).join(` ${op} `);
  return nested && parts.length > 1 ? `(${text})` : text;
}

export function satisfies(tree: PermissionTree, held: ReadonlySet<string>): boolean {
  if (typeof tree === "string") return held.has(tree);
  return "and" in tree ? tree.and.every((t) => satisfies(t, held)) : tree.or.some((t) => satisfies(t, held));
}
