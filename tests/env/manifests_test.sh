#!/usr/bin/env bash
# Checks the environment bundle: renders every kustomization under k8s/ with
# `kubectl kustomize` and asserts what the deployment relies on (Fenrir's
# StatefulSet, probes, security context, PDB, the `loki` Service on 3100,
# HPA bounds and ingress per overlay), the Grafana provisioning and dashboards
# (parse, non-empty LogQL, copies in sync), the Dockerfile's default config,
# and that every metric and GitHub secret used is documented.
#
# Runs from any directory. Source tree: $FENRIR_SOURCE_DIR, else two levels
# above this script. Needs: bash, python3 with PyYAML (Debian: python3-yaml),
# kubectl with kustomize v5 (kubectl >= 1.27) or a standalone kustomize.
# Last line: "N passed, N failed"; exit status 1 when anything failed.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=${FENRIR_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
src=$(cd "$src" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

pass=0
fail=0
ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

# ---------------------------------------------------------------- tools
render=""
if command -v kubectl >/dev/null 2>&1 && kubectl kustomize --help >/dev/null 2>&1; then
  render="kubectl kustomize"
elif command -v kustomize >/dev/null 2>&1; then
  render="kustomize build"
fi
if [ -n "$render" ]; then ok "renderer: $render"; else bad "neither kubectl nor kustomize found"; fi
if python3 -c 'import yaml' 2>/dev/null; then
  ok "python3 with PyYAML"
else
  bad "python3 with PyYAML (Debian package python3-yaml) not found"
  echo "$pass passed, $fail failed"
  exit 1
fi

# ---------------------------------------------------------------- render
: > "$work/rendered.list"
while IFS= read -r kfile; do
  dir=$(dirname "$kfile")
  rel=${dir#"$src"/}
  out="$work/$(echo "$rel" | tr '/' '_').yaml"
  if [ -z "$render" ]; then
    bad "render $rel (no renderer)"
  elif $render "$dir" > "$out" 2> "$work/err"; then
    ok "render $rel"
    printf '%s\t%s\n' "$rel" "$out" >> "$work/rendered.list"
  else
    bad "render $rel: $(head -c 400 "$work/err")"
  fi
done < <(find "$src/k8s" -name kustomization.yaml | sort)

# ---------------------------------------------------------------- assertions
python3 - "$src" "$work/rendered.list" > "$work/checks.out" 2>&1 <<'PY'
import glob, json, os, re, subprocess, sys
import yaml

src, listing = sys.argv[1], sys.argv[2]
rendered = {}
for line in open(listing):
    rel, path = line.rstrip("\n").split("\t")
    rendered[rel] = path


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    return cond


def load_all(path):
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d is not None]


def read(rel):
    with open(os.path.join(src, rel)) as f:
        return f.read()


docs = {}
for rel, path in rendered.items():
    try:
        objs = load_all(path)
    except yaml.YAMLError as e:
        check(False, f"{rel}: rendered YAML parses ({e})")
        continue
    good = all(isinstance(o, dict) and o.get("apiVersion") and o.get("kind")
               and o.get("metadata", {}).get("name") for o in objs)
    check(bool(objs) and good, f"{rel}: {len(objs)} objects, each with apiVersion, kind, name")
    docs[rel] = objs


def find(rel, kind, name=None):
    return [o for o in docs.get(rel, []) if o["kind"] == kind
            and (name is None or o["metadata"]["name"] == name)]


def one(rel, kind, name):
    found = find(rel, kind, name)
    check(len(found) == 1, f"{rel}: one {kind} {name}")
    return found[0] if found else None


def pod_spec(obj):
    return obj["spec"]["template"]["spec"]


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def port_number(container, port):
    if isinstance(port, int):
        return port
    for p in container.get("ports", []):
        if p.get("name") == port:
            return p.get("containerPort")
    return None


# ---- every YAML file under k8s/ parses (templates included)
for path in sorted(glob.glob(os.path.join(src, "k8s", "**", "*.yaml"), recursive=True)):
    rel = os.path.relpath(path, src)
    try:
        load_all(path)
        check(True, f"{rel} parses")
    except yaml.YAMLError as e:
        check(False, f"{rel} parses ({e})")

# ---- base
B = "k8s/base"
dep = one(B, "Deployment", "video-meta-app")
if dep:
    c = pod_spec(dep)["containers"][0]
    check(c["image"] == "ghcr.io/video-meta-generate:latest", "base: app image as in the plan")
    check(c["readinessProbe"]["httpGet"]["path"] == "/api/health", "base: app readiness on /api/health")
hpa = one(B, "HorizontalPodAutoscaler", "video-meta-app-hpa")
if hpa:
    check((hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 10), "base: HPA 2-10")
for name in ("postgres", "minio"):
    ss = one(B, "StatefulSet", name)
    one(B, "Service", name)
    one(B, "PersistentVolumeClaim", f"{name}-data")
    if ss:
        claims = [v["persistentVolumeClaim"]["claimName"] for v in pod_spec(ss).get("volumes", [])
                  if "persistentVolumeClaim" in v]
        check(f"{name}-data" in claims, f"base: {name} mounts its PVC")
check(not find(B, "Secret"), "base: no Secret rendered (templates only, CI creates them)")
for rel, name in (("k8s/base/app/secret.yaml", "app-secrets"),
                  ("k8s/base/postgres/secret.yaml", "postgres-secrets"),
                  ("k8s/base/minio/secret.yaml", "minio-secrets")):
    d = yaml.safe_load(read(rel))
    check(d["kind"] == "Secret" and d["metadata"]["name"] == name, f"{rel}: Secret template {name}")
used_secrets = set()
for o in docs.get(B, []):
    if o["kind"] in ("Deployment", "StatefulSet"):
        for c in pod_spec(o)["containers"]:
            used_secrets |= {e["secretRef"]["name"] for e in c.get("envFrom", []) if "secretRef" in e}
check(used_secrets == {"app-secrets", "postgres-secrets", "minio-secrets"},
      f"base: workloads read the templated secrets ({sorted(used_secrets)})")

# ---- overlays
overlays = {
    "staging": dict(hpa=(1, 3), host="staging.video-meta.example.com", tls="staging-tls", incluster=True),
    "production": dict(hpa=(3, 15), host="app.video-meta.example.com", tls="production-tls", incluster=False),
}
base_req = pod_spec(dep)["containers"][0]["resources"] if dep else {}
for env, want in overlays.items():
    R = f"k8s/overlays/{env}"
    if R not in docs:
        check(False, f"{R}: rendered")
        continue
    ns = [o for o in docs[R] if o["kind"] == "Namespace"]
    check([n["metadata"]["name"] for n in ns] == [env], f"{env}: exactly the Namespace {env}")
    stray = [o["metadata"]["name"] for o in docs[R] if o["kind"] != "Namespace"
             and o["kind"] not in ("ClusterRole", "ClusterRoleBinding")
             and o["metadata"].get("namespace") != env]
    check(not stray, f"{env}: every object in namespace {env} {stray or ''}")
    h = one(R, "HorizontalPodAutoscaler", "video-meta-app-hpa")
    if h:
        got = (h["spec"]["minReplicas"], h["spec"]["maxReplicas"])
        check(got == want["hpa"], f"{env}: HPA {want['hpa'][0]}-{want['hpa'][1]} (got {got[0]}-{got[1]})")
        check(h["spec"]["scaleTargetRef"]["name"] == "video-meta-app", f"{env}: HPA targets the app")
    ing = one(R, "Ingress", "video-meta-app")
    if ing:
        hosts = [r["host"] for r in ing["spec"]["rules"]]
        tls = ing["spec"].get("tls", [])
        check(hosts == [want["host"]], f"{env}: ingress host {want['host']}")
        check(any(want["host"] in t.get("hosts", []) and t.get("secretName") == want["tls"] for t in tls),
              f"{env}: TLS for {want['host']} in secret {want['tls']}")
        check(ing["metadata"].get("annotations", {}).get("cert-manager.io/cluster-issuer") == "letsencrypt-prod",
              f"{env}: cert-manager cluster-issuer letsencrypt-prod")
        backend = ing["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
        svc = find(R, "Service", backend["name"])
        check(bool(svc) and any(p["port"] == backend["port"]["number"] for p in svc[0]["spec"]["ports"]),
              f"{env}: ingress backend {backend['name']}:{backend['port']['number']} exists")
    d = find(R, "Deployment", "video-meta-app")
    if d:
        c = pod_spec(d[0])["containers"][0]
        check(c["image"].startswith("ghcr.io/video-meta-generate:") and c["image"] != "ghcr.io/video-meta-generate:latest"
              or env == "production", f"{env}: image tag set by the overlay ({c['image']})")
        check(bool(c.get("resources", {}).get("requests")), f"{env}: app resources set")
    # A rollout must be reproducible: every image carries a tag (or digest) that is not latest.
    images = sorted({c["image"] for doc in load_all(rendered[R]) if doc.get("kind") in
                     ("Deployment", "StatefulSet", "DaemonSet")
                     for c in pod_spec(doc).get("containers", []) + pod_spec(doc).get("initContainers", [])})
    floating = [i for i in images if "@sha256:" not in i and
                (":" not in i.rsplit("/", 1)[-1] or i.endswith(":latest"))]
    check(bool(images) and not floating, f"{env}: every image pinned ({floating or len(images)})")
    has_db = bool(find(R, "StatefulSet", "postgres")) and bool(find(R, "StatefulSet", "minio"))
    check(has_db == want["incluster"],
          f"{env}: in-cluster PostgreSQL/MinIO {'present' if want['incluster'] else 'removed (managed services)'}")
    check(not find(R, "Secret"), f"{env}: no Secret rendered")
if "k8s/overlays/production" in docs and dep:
    p = find("k8s/overlays/production", "Deployment", "video-meta-app")
    if p:
        check(pod_spec(p[0])["containers"][0]["resources"] != base_req, "production: app resources patched")

# ---- monitoring: Fenrir
M = "k8s/monitoring"
mon_bad = [o["metadata"]["name"] for o in docs.get(M, [])
           if o["kind"] not in ("Namespace", "ClusterRole", "ClusterRoleBinding")
           and o["metadata"].get("namespace") != "monitoring"]
check(M in docs and not mon_bad, f"monitoring: every object in namespace monitoring {mon_bad or ''}")
cm = one(M, "ConfigMap", "loki-config")
loki_cfg = yaml.safe_load(cm["data"]["loki.yaml"]) if cm else {}
path_prefix = loki_cfg.get("common", {}).get("path_prefix")
check(loki_cfg.get("server", {}).get("http_listen_port") == 3100 and path_prefix == "/loki",
      "monitoring: Loki config listens on 3100 with path_prefix /loki")
# The deployment plan's Loki config (section 5.2), which Fenrir must take unchanged.
PLAN_LOKI_CONFIG = yaml.safe_load("""
auth_enabled: false
server: {http_listen_port: 3100, grpc_listen_port: 9096}
common:
  instance_addr: 127.0.0.1
  path_prefix: /loki
  storage: {filesystem: {chunks_directory: /loki/chunks, rules_directory: /loki/rules}}
  replication_factor: 1
  ring: {kvstore: {store: inmemory}}
query_range: {results_cache: {cache: {embedded_cache: {enabled: true, max_size_mb: 100}}}}
schema_config:
  configs:
    - {from: 2020-10-24, store: tsdb, object_store: filesystem, schema: v13,
       index: {prefix: index_, period: 24h}}
ruler: {alertmanager_url: "http://localhost:9093"}
limits_config: {retention_period: 720h}
""")
check(loki_cfg == PLAN_LOKI_CONFIG, "monitoring: loki-config is the plan's Loki config, unchanged")
ss = one(M, "StatefulSet", "fenrir")
fenrir_labels = {}
if ss:
    spec = pod_spec(ss)
    fenrir_labels = ss["spec"]["template"]["metadata"]["labels"]
    c = spec["containers"][0]
    check("fenrir" in c["image"] and ":" in c["image"] and c["image"] != "fenrir",
          f"fenrir: image resolved by kustomize ({c['image']})")
    check("-config.file=/etc/loki/loki.yaml" in c.get("args", []), "fenrir: -config.file=/etc/loki/loki.yaml")
    mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
    vols = {v["name"]: v for v in spec.get("volumes", [])}
    cfg_vol = vols.get(mounts.get("/etc/loki"), {})
    check(cfg_vol.get("configMap", {}).get("name") == "loki-config", "fenrir: loki-config mounted at /etc/loki")
    vct = [t["metadata"]["name"] for t in ss["spec"].get("volumeClaimTemplates", [])]
    check(bool(vct) and mounts.get(path_prefix) in vct,
          f"fenrir: volumeClaimTemplate mounted at path_prefix {path_prefix}")
    for probe in ("readinessProbe", "livenessProbe"):
        g = c.get(probe, {}).get("httpGet", {})
        check(g.get("path") == "/ready" and port_number(c, g.get("port")) == 3100, f"fenrir: {probe} GET /ready on 3100")
    psc, csc = spec.get("securityContext", {}), c.get("securityContext", {})
    check((psc.get("runAsNonRoot") or csc.get("runAsNonRoot")) is True, "fenrir: runAsNonRoot")
    uid = csc.get("runAsUser", psc.get("runAsUser"))
    check(isinstance(uid, int) and uid != 0, f"fenrir: runs as uid {uid}")
    check(csc.get("allowPrivilegeEscalation") is False, "fenrir: no privilege escalation")
    req = c.get("resources", {}).get("requests", {})
    check("cpu" in req and "memory" in req, "fenrir: cpu and memory requests")
    check(port_number(c, "http-metrics") == 3100, "fenrir: container port 3100")
pdb = one(M, "PodDisruptionBudget", "fenrir")
if pdb:
    check(selects(pdb["spec"]["selector"]["matchLabels"], fenrir_labels), "fenrir: PDB selects the Fenrir pod")
    check("minAvailable" in pdb["spec"] or "maxUnavailable" in pdb["spec"], "fenrir: PDB has a budget")
svc = one(M, "Service", "loki")
if svc:
    check(selects(svc["spec"]["selector"], fenrir_labels), "Service loki selects the Fenrir pod (drop-in name)")
    check(any(p["port"] == 3100 for p in svc["spec"]["ports"]), "Service loki on port 3100")
if ss:
    head = find(M, "Service", ss["spec"]["serviceName"])
    check(bool(head) and head[0]["spec"].get("clusterIP") == "None", "fenrir: headless governing Service exists")


def service_port(url):
    m = re.match(r"https?://([^/:]+)(?::(\d+))?", url)
    if not m:
        return None, None
    return m.group(1).split(".")[0], int(m.group(2) or 80)


def service_has_port(name, port):
    s = find(M, "Service", name)
    return bool(s) and any(p["port"] == port for p in s[0]["spec"]["ports"])


# ---- monitoring: Promtail
pcm = one(M, "ConfigMap", "promtail-config")
if pcm:
    pc = yaml.safe_load(pcm["data"]["promtail.yaml"])
    urls = [cl["url"] for cl in pc.get("clients", [])]
    check(len(urls) == 1 and urls[0].endswith("/loki/api/v1/push"), f"promtail: pushes to /loki/api/v1/push ({urls})")
    if urls:
        name, port = service_port(urls[0])
        check(port == 3100 and service_has_port(name, port), f"promtail: {name}:{port} is a Service of the bundle")
ds = one(M, "DaemonSet", "promtail")
if ds:
    sa = pod_spec(ds).get("serviceAccountName")
    check(bool(find(M, "ServiceAccount", sa)), f"promtail: ServiceAccount {sa} exists")
    crb = find(M, "ClusterRoleBinding", "promtail")
    check(bool(crb) and any(s["name"] == sa for s in crb[0]["subjects"]), "promtail: RBAC binds its ServiceAccount")

# ---- monitoring: Grafana
gds = one(M, "ConfigMap", "grafana-datasources")
prov_ds = yaml.safe_load(read("grafana/provisioning/datasources/datasources.yaml"))
loki_ds = [d for d in prov_ds.get("datasources", []) if d["type"] == "loki"]
check(len(loki_ds) == 1 and loki_ds[0]["name"] == "Loki", "grafana: one Loki datasource named Loki")
if loki_ds:
    name, port = service_port(loki_ds[0]["url"])
    check(port == 3100, f"grafana: Loki datasource on port 3100 ({loki_ds[0]['url']})")
    check(service_has_port(name, port), f"grafana: Loki datasource host {name} is a Service on {port}")
    check(loki_ds[0].get("uid") == "loki" and loki_ds[0].get("isDefault") is True, "grafana: Loki uid loki, default")
prom_ds = [d for d in prov_ds.get("datasources", []) if d["type"] == "prometheus"]
if check(len(prom_ds) == 1, "grafana: a Prometheus datasource"):
    name, port = service_port(prom_ds[0]["url"])
    check(service_has_port(name, port), f"grafana: Prometheus datasource host {name}:{port} is a Service")
if gds:
    check(yaml.safe_load(gds["data"]["datasources.yaml"]) == prov_ds,
          "sync: k8s grafana-datasources == grafana/provisioning/datasources/datasources.yaml")
prov_dash = yaml.safe_load(read("grafana/provisioning/dashboards/dashboards.yaml"))
gdp = one(M, "ConfigMap", "grafana-dashboard-providers")
if gdp:
    check(yaml.safe_load(gdp["data"]["dashboards.yaml"]) == prov_dash,
          "sync: k8s grafana-dashboard-providers == grafana/provisioning/dashboards/dashboards.yaml")
gd = one(M, "Deployment", "grafana")
dash_files = sorted(os.path.basename(p) for p in glob.glob(os.path.join(src, "grafana/dashboards/*.json")))
copies = sorted(os.path.basename(p) for p in glob.glob(os.path.join(src, "k8s/monitoring/grafana/dashboards/*.json")))
check(bool(dash_files) and dash_files == copies, f"sync: same dashboard files in grafana/ and k8s/ {dash_files}")
for f in dash_files:
    if f in copies:
        check(read(f"grafana/dashboards/{f}") == read(f"k8s/monitoring/grafana/dashboards/{f}"),
              f"sync: k8s/monitoring/grafana/dashboards/{f} is a copy of grafana/dashboards/{f}")
if gd:
    spec = pod_spec(gd)
    c = spec["containers"][0]
    mounts = {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}
    vols = {v["name"]: v for v in spec.get("volumes", [])}
    dash_path = prov_dash["providers"][0]["options"]["path"]
    cm_name = vols.get(mounts.get(dash_path), {}).get("configMap", {}).get("name", "")
    gen = find(M, "ConfigMap", cm_name)
    check(bool(gen) and sorted(gen[0].get("data", {})) == dash_files,
          f"grafana: provider path {dash_path} holds the dashboards ConfigMap {cm_name}")
    ds_cm = vols.get(mounts.get("/etc/grafana/provisioning/datasources"), {}).get("configMap", {}).get("name")
    check(ds_cm == "grafana-datasources", "grafana: datasources provisioned from grafana-datasources")
    secret = [e["secretRef"]["name"] for e in c.get("envFrom", []) if "secretRef" in e]
    check(secret == ["grafana-secrets"] and not find(M, "Secret"), "grafana: admin secret referenced, not rendered")
gi = one(M, "Ingress", "grafana")
if gi:
    host = gi["spec"]["rules"][0]["host"]
    check(any(host in t.get("hosts", []) and t.get("secretName") for t in gi["spec"].get("tls", [])),
          f"grafana: ingress {host} with TLS")
pcfg = one(M, "ConfigMap", "prometheus-config")
if pcfg:
    text = pcfg["data"]["prometheus.yml"]
    check(ss is not None and f"{ss['spec']['serviceName']}.monitoring" in text and "3100" in text,
          "prometheus: scrapes Fenrir's headless Service on 3100")

# ---- dashboards
BUILTIN = {"__interval", "__interval_ms", "__range", "__range_s", "__range_ms", "__rate_interval", "__auto",
           "__from", "__to", "__dashboard", "__user", "__org", "__name", "timeFilter"}


def balanced(expr):
    stack, pairs, quote, i = [], {")": "(", "]": "[", "}": "{"}, None, 0
    while i < len(expr):
        ch = expr[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"`":
            quote = ch
        elif ch in "([{":
            stack.append(ch)
        elif ch in ")]}":
            if not stack or stack.pop() != pairs[ch]:
                return False
        i += 1
    return not stack and quote is None


def panels_of(d):
    for p in d.get("panels", []):
        yield p
        yield from p.get("panels", [])


metric_names = set()
for f in dash_files:
    rel = f"grafana/dashboards/{f}"
    try:
        d = json.loads(read(rel))
    except ValueError as e:
        check(False, f"{rel} parses as JSON ({e})")
        continue
    check(bool(d.get("uid")) and bool(d.get("title")), f"{rel}: parses, has uid and title")
    variables = {v["name"]: v for v in d.get("templating", {}).get("list", [])}
    ds_types = {k: v["query"] for k, v in variables.items() if v["type"] == "datasource"}
    n_loki = n_prom = 0
    for p in panels_of(d):
        for t in p.get("targets", []):
            dsref = t.get("datasource") or p.get("datasource") or {}
            typ = dsref.get("type") or ds_types.get(str(dsref.get("uid", "")).strip("${}"))
            expr = t.get("expr", "")
            where = f"{rel}: panel '{p.get('title')}' {t.get('refId')}"
            refs = set(re.findall(r"\$\{?(\w+)", expr))
            undefined = sorted(r for r in refs if r not in variables and r not in BUILTIN)
            if typ == "loki":
                n_loki += 1
                check(expr.strip() != "", f"{where}: LogQL expr non-empty")
                check(balanced(expr) and re.search(r"\{[^{}]*=[^{}]*\}", expr) is not None,
                      f"{where}: LogQL balanced, has a stream selector")
            elif typ == "prometheus":
                n_prom += 1
                check(expr.strip() != "" and balanced(expr), f"{where}: PromQL non-empty and balanced")
                metric_names.update(m for m in re.findall(r"\b((?:loki|fenrir)_[a-z0-9_]+)", expr))
            else:
                check(False, f"{where}: datasource type known ({dsref})")
            check(not undefined, f"{where}: variables defined {undefined or ''}")
    check(n_loki + n_prom > 0, f"{rel}: {n_loki} LogQL and {n_prom} PromQL queries")
    for name, v in variables.items():
        if v["type"] == "query":
            q = v["query"] if isinstance(v["query"], str) else v["query"].get("query", "")
            check(q.startswith("label_values("), f"{rel}: variable {name} uses label_values")

# Metric names the dashboards rely on are documented for the server side.
env_doc = read("docs/environment.md") if os.path.exists(os.path.join(src, "docs/environment.md")) else ""
bases = {re.sub(r"_(bucket|count|sum)$", "", m) for m in metric_names}
missing = sorted(m for m in bases if m not in env_doc)
check(bool(bases) and not missing, f"docs/environment.md documents the metrics {sorted(bases)} {missing or ''}")

# ---- Dockerfile: default config is the ConfigMap's, paths and port agree
dockerfile = read("Dockerfile")
m = re.search(r"sed -n '([^']+)' (k8s/monitoring/loki/configmap\.yaml)", dockerfile)
if check(m is not None, "Dockerfile: default config extracted from the Loki ConfigMap"):
    out = subprocess.run(["sed", "-n", m.group(1), os.path.join(src, m.group(2))],
                         capture_output=True, text=True)
    check(out.returncode == 0 and cm is not None and yaml.safe_load(out.stdout) == loki_cfg,
          "Dockerfile: the extracted config equals the ConfigMap's loki.yaml")
check(re.search(r"^EXPOSE 3100\b", dockerfile, re.M) is not None, "Dockerfile: EXPOSE 3100")
user = re.findall(r"^USER (\S+)", dockerfile, re.M)
check(bool(user) and not user[-1].startswith(("root", "0")), f"Dockerfile: runs as non-root ({user})")
check(f'VOLUME ["{path_prefix}"]' in dockerfile, f"Dockerfile: VOLUME at path_prefix {path_prefix}")
check("-config.file=/etc/loki/loki.yaml" in dockerfile and "COPY --from=build /out/loki.yaml /etc/loki/loki.yaml" in dockerfile,
      "Dockerfile: default config at /etc/loki/loki.yaml, as in the StatefulSet")
check("-DFENRIR_TESTS=OFF -DFENRIR_BENCH=OFF" in dockerfile and "ninja -C build fenrir" in dockerfile,
      "Dockerfile: release build of the fenrir target only")
ign = read(".dockerignore").split()
check("!k8s/monitoring/loki/configmap.yaml" in ign and ".git" in ign, ".dockerignore keeps the ConfigMap, drops .git")

# ---- workflows: parse, and every secret they read is documented
secrets = set()
for path in sorted(glob.glob(os.path.join(src, ".github/workflows/*.yml"))):
    rel = os.path.relpath(path, src)
    text = read(rel)
    try:
        w = yaml.safe_load(text)
        check(isinstance(w.get("jobs"), dict) and (True in w or "on" in w), f"{rel}: parses, has triggers and jobs")
    except yaml.YAMLError as e:
        check(False, f"{rel}: parses ({e})")
    secrets |= set(re.findall(r"secrets\.([A-Z][A-Z0-9_]+)", text))
secrets.discard("GITHUB_TOKEN")
missing = sorted(s for s in secrets if f"`{s}`" not in env_doc)
check(bool(secrets) and not missing, f"docs/environment.md documents the workflow secrets {missing or ''}")
for env, flow in (("staging", "deploy-staging.yml"), ("production", "deploy-prod.yml")):
    p = os.path.join(src, ".github/workflows", flow)
    text = open(p).read() if os.path.exists(p) else ""
    check(f"k8s/overlays/{env}" in text and "kustomize edit set image ghcr.io/video-meta-generate=" in text.replace('"', ""),
          f"{flow}: deploys k8s/overlays/{env} with the built image")
PY
while IFS= read -r line; do
  case "$line" in
    "ok   "*) ok "${line#ok   }" ;;
    "FAIL "*) bad "${line#FAIL }" ;;
    *) bad "checker: $line" ;;
  esac
done < "$work/checks.out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
