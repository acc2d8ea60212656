// Parses LogQL expressions with Grafana's own grammar (@grafana/lezer-logql). Input on stdin:
// a JSON array of strings. Output: a JSON array of {ok, error} (error = first error position).
const { parser } = require("@grafana/lezer-logql");

let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
  const exprs = JSON.parse(input);
  const out = exprs.map((expr) => {
    const tree = parser.parse(expr);
    let error = null;
    tree.iterate({
      enter: (node) => {
        if (error === null && node.type.isError) {
          error = `error node at ${node.from}: ${JSON.stringify(expr.slice(node.from, node.from + 20))}`;
        }
      },
    });
    return { ok: error === null, error };
  });
  process.stdout.write(JSON.stringify(out));
});
