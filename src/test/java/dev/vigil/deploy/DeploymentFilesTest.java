package dev.vigil.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.vigil.Vigil;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The deployment files under deploy/ (compose, the job image, Kubernetes) cannot be run in the
 * build, so this checks what can be checked without Docker or a cluster: they parse, they agree
 * with the pom (versions, the jar), with flink-conf/config.yaml and with the Grafana provisioning,
 * every command line they start parses with the real picocli command, the monitor spec they ship
 * is valid, every file they mount exists, and no password is written down.
 */
class DeploymentFilesTest {
    static Path root;
    static Path deploy;
    static Pom pom;

    /** Keys of flink-conf/config.yaml that compose and the FlinkDeployment must set to the same values. */
    static final List<String> MIRRORED_FLINK_KEYS = List.of(
            "taskmanager.numberOfTaskSlots",
            "execution.checkpointing.interval",
            "execution.checkpointing.mode",
            "execution.checkpointing.min-pause",
            "execution.checkpointing.timeout",
            "execution.checkpointing.externalized-checkpoint-retention",
            "state.backend.type",
            "restart-strategy.type",
            "restart-strategy.exponential-delay.initial-backoff",
            "restart-strategy.exponential-delay.max-backoff",
            "restart-strategy.exponential-delay.backoff-multiplier",
            "restart-strategy.exponential-delay.reset-backoff-threshold",
            "restart-strategy.exponential-delay.attempts-before-reset-backoff",
            "metrics.reporter.prom.factory.class");

    static final String JAR_IN_IMAGE = "/opt/flink/usrlib/vigil.jar";

    record Pom(String artifactId, String version, String flinkVersion, String kafkaVersion) {
        String jarFile() {
            return artifactId + "-" + version + ".jar";
        }

        /** "v2_2" for Flink 2.2.x: the operator's FlinkVersion enum value. */
        String operatorFlinkVersion() {
            String[] parts = flinkVersion.split("\\.");
            return "v" + parts[0] + "_" + parts[1];
        }
    }

    @BeforeAll
    static void locate() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("deploy")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("the repository root (pom.xml and deploy/) above the working directory").isNotNull();
        root = dir;
        deploy = root.resolve("deploy");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(root.resolve("pom.xml").toFile());
        Element project = doc.getDocumentElement();
        Element properties = child(project, "properties");
        pom = new Pom(text(project, "artifactId"), text(project, "version"),
                text(properties, "flink.version"), text(properties, "kafka.version"));
        assertThat(pom.flinkVersion()).matches("\\d+\\.\\d+\\.\\d+");
    }

    // ---------------------------------------------------------------------------------------------
    // Every YAML file

    @Test
    void everyYamlFileUnderDeployParses() throws IOException {
        List<Path> files = yamlFiles(deploy);
        assertThat(files).contains(deploy.resolve("docker-compose.yml"),
                deploy.resolve("kubernetes/flink-deployment.yaml"), deploy.resolve("kubernetes/kustomization.yaml"));
        ObjectMapper strict = new ObjectMapper(new YAMLFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION));
        for (Path file : files) {
            List<JsonNode> docs = new ArrayList<>();
            assertThatCode(() -> {
                try (MappingIterator<JsonNode> it = strict.readerFor(JsonNode.class).readValues(file.toFile())) {
                    while (it.hasNext()) docs.add(it.next());
                }
            }).as("%s parses (Jackson YAML, duplicate keys rejected)", rel(file)).doesNotThrowAnyException();
            assertThat(docs).as("%s has a document", rel(file)).isNotEmpty();
            // Anchors, aliases and merge keys (compose uses them) resolve, as compose and kubectl do.
            assertThatCode(() -> load(file)).as("%s parses (SnakeYAML)", rel(file)).doesNotThrowAnyException();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The job image

    @Test
    void dockerfileBuildsOnTheFlinkImageOfThePomWithTheJobJar() throws IOException {
        Path dockerfile = deploy.resolve("docker/Dockerfile");
        List<String> lines = Files.readAllLines(dockerfile);
        List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(from).hasSize(1);
        String image = from.get(0).substring(5).trim();
        assertThat(image).as("the official Flink image of the pom's flink.version on Java 17")
                .isEqualTo("flink:" + pom.flinkVersion() + "-java17");

        Map<String, String> copies = dockerCopies(lines);
        assertThat(copies).containsEntry("target/" + pom.jarFile(), JAR_IN_IMAGE)
                .containsEntry("src/main/resources/demo/monitor-spec.yaml", "/etc/vigil/monitor-spec.yaml");
        for (String source : copies.keySet()) {
            if (!source.startsWith("target/")) {
                assertThat(root.resolve(source)).as("COPY source %s", source).isRegularFile();
            }
        }
        // The Dockerfile-specific ignore file lets through exactly what is copied.
        List<String> ignore = Files.readAllLines(deploy.resolve("docker/Dockerfile.dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(ignore).first().isEqualTo("*");
        assertThat(ignore.stream().filter(l -> l.startsWith("!")).map(l -> l.substring(1)).collect(Collectors.toSet()))
                .isEqualTo(copies.keySet());
    }

    // ---------------------------------------------------------------------------------------------
    // docker compose

    @Test
    void composeRunsTheWholeStackInOrder() throws IOException {
        JsonNode compose = composeFile();
        JsonNode services = compose.path("services");
        assertThat(names(services)).containsExactlyInAnyOrder(
                "kafka", "kafka-setup", "postgres", "vigil-init", "jobmanager", "taskmanager", "generator", "grafana");

        assertThat(services.path("kafka").path("image").asText()).isEqualTo("apache/kafka:" + pom.kafkaVersion());
        assertThat(services.path("kafka-setup").path("image").asText()).isEqualTo("apache/kafka:" + pom.kafkaVersion());
        assertThat(services.path("kafka").path("environment").path("KAFKA_PROCESS_ROLES").asText())
                .as("single-node KRaft").isEqualTo("broker,controller");
        assertThat(services.path("postgres").path("image").asText()).isEqualTo("postgres:16");
        assertThat(services.path("grafana").path("image").asText()).startsWith("grafana/grafana:");

        Map<String, Map<String, String>> expected = new LinkedHashMap<>();
        expected.put("kafka-setup", Map.of("kafka", "service_healthy"));
        expected.put("vigil-init", Map.of("postgres", "service_healthy"));
        expected.put("jobmanager", Map.of("vigil-init", "service_completed_successfully",
                "kafka-setup", "service_completed_successfully"));
        expected.put("taskmanager", Map.of("jobmanager", "service_started"));
        expected.put("generator", Map.of("kafka-setup", "service_completed_successfully"));
        expected.put("grafana", Map.of("vigil-init", "service_completed_successfully"));
        expected.forEach((service, deps) -> {
            Map<String, String> actual = new TreeMap<>();
            services.path(service).path("depends_on").properties()
                    .forEach(e -> actual.put(e.getKey(), e.getValue().path("condition").asText()));
            assertThat(actual).as("depends_on of %s", service).isEqualTo(new TreeMap<>(deps));
        });

        for (Map.Entry<String, JsonNode> service : services.properties()) {
            for (Map.Entry<String, JsonNode> dep : service.getValue().path("depends_on").properties()) {
                assertThat(services.has(dep.getKey())).as("%s depends on a service", service.getKey()).isTrue();
                JsonNode target = services.path(dep.getKey());
                switch (dep.getValue().path("condition").asText()) {
                    case "service_healthy" -> assertThat(target.path("healthcheck").path("test").isMissingNode())
                            .as("%s waits for %s to be healthy: it needs a healthcheck", service.getKey(), dep.getKey())
                            .isFalse();
                    case "service_completed_successfully" -> assertThat(target.path("restart").asText("no"))
                            .as("%s waits for %s to finish: it must not restart", service.getKey(), dep.getKey())
                            .isEqualTo("no");
                    default -> { }
                }
            }
        }
        for (String service : List.of("kafka", "postgres", "jobmanager", "grafana")) {
            assertThat(services.path(service).path("healthcheck").path("test").isMissingNode()).as(service).isFalse();
        }

        // The job image, built from deploy/docker/Dockerfile, for every Vigil process.
        for (String service : List.of("vigil-init", "jobmanager", "taskmanager", "generator")) {
            JsonNode s = services.path(service);
            assertThat(s.path("image").asText()).as("image of %s", service)
                    .isEqualTo("vigil:" + pom.version() + "-flink" + pom.flinkVersion());
            Path context = deploy.resolve(s.path("build").path("context").asText()).normalize();
            assertThat(context).as("build context of %s", service).isEqualTo(root);
            assertThat(context.resolve(s.path("build").path("dockerfile").asText()))
                    .isEqualTo(deploy.resolve("docker/Dockerfile"));
        }
    }

    @Test
    void composeMountsExistingPathsAndTheGrafanaProvisioning() throws IOException {
        JsonNode compose = composeFile();
        Set<String> namedVolumes = names(compose.path("volumes"));
        Map<String, Map<String, Path>> binds = new TreeMap<>();
        for (Map.Entry<String, JsonNode> service : compose.path("services").properties()) {
            for (JsonNode volume : service.getValue().path("volumes")) {
                String source;
                String target;
                if (volume.isTextual()) {
                    String[] parts = volume.asText().split(":");
                    source = parts[0];
                    target = parts[1];
                } else {
                    source = volume.path("source").asText();
                    target = volume.path("target").asText();
                }
                if (source.startsWith(".") || source.startsWith("/") || source.startsWith("~")) {
                    Path host = deploy.resolve(source).normalize();
                    assertThat(host).as("bind mount %s of %s", source, service.getKey()).exists();
                    assertThat(host.startsWith(root)).as("bind mount %s stays in the repository", source).isTrue();
                    binds.computeIfAbsent(service.getKey(), k -> new LinkedHashMap<>()).put(target, host);
                } else {
                    assertThat(namedVolumes).as("volume %s of %s is declared", source, service.getKey()).contains(source);
                }
            }
        }

        Map<String, Path> grafana = binds.get("grafana");
        assertThat(grafana).containsEntry("/etc/grafana/provisioning/datasources",
                        deploy.resolve("grafana/provisioning/datasources"))
                .containsEntry("/etc/grafana/provisioning/dashboards", deploy.resolve("grafana/provisioning/dashboards"))
                .containsEntry(dashboardsPath(), deploy.resolve("grafana/dashboards"));
        JsonNode env = compose.path("services").path("grafana").path("environment");
        for (String variable : datasourceVariables()) {
            assertThat(env.has(variable)).as("Grafana's environment has %s (the datasource reads it)", variable).isTrue();
        }
        assertThat(env.path("VIGIL_PG_HOST").asText()).isEqualTo("postgres:5432");
    }

    @Test
    void composeStartsTheRealCommandLine() throws IOException {
        JsonNode services = composeFile().path("services");

        // JobManager in application mode: standalone-job --job-classname dev.vigil.Vigil [restore] run ...
        List<String> jm = shellWords(services.path("jobmanager").path("command").get(0).asText());
        int entry = jm.indexOf("standalone-job");
        assertThat(entry).as("the JobManager runs the job in application mode").isGreaterThanOrEqualTo(0);
        assertThat(jm.subList(entry + 1, entry + 3)).containsExactly("--job-classname", Vigil.class.getName());
        List<String> jobArgs = jm.subList(entry + 3, jm.size());
        assertRun(parse(jobArgs), "kafka:9092", "jdbc:postgresql://postgres:5432/vigil");
        assertThat(jobArgs.get(jobArgs.indexOf("--spec") + 1)).isEqualTo("/etc/vigil/monitor-spec.yaml");

        // init-db: the entrypoint is the Vigil command line, the command its arguments.
        List<String> initEntrypoint = texts(services.path("vigil-init").path("entrypoint"));
        assertLauncher(initEntrypoint);
        ParseResult init = parse(texts(services.path("vigil-init").path("command")));
        assertThat(init.subcommand().commandSpec().name()).isEqualTo("init-db");
        assertThat(init.subcommand().matchedOptionValue("--jdbc-url", "")).isEqualTo("jdbc:postgresql://postgres:5432/vigil");
        JsonNode initEnv = services.path("vigil-init").path("environment");
        assertThat(initEnv.has("VIGIL_DB_PASSWORD")).isTrue();
        assertThat(initEnv.has("VIGIL_READER_PASSWORD")).as("so that Grafana's role can log in").isTrue();

        // generate, in real time: as much wall-clock time as simulated time.
        List<String> gen = shellWords(services.path("generator").path("command").get(0).asText());
        int java = gen.indexOf("java");
        int main = gen.indexOf(Vigil.class.getName());
        assertLauncher(gen.subList(java, main + 1));
        List<String> genArgs = gen.subList(main + 1, gen.size());
        ParseResult generate = parse(genArgs);
        assertThat(generate.subcommand().commandSpec().name()).isEqualTo("generate");
        assertThat(value(genArgs, "--wall-time")).isEqualTo(value(genArgs, "--duration"));
        assertThat(value(genArgs, "--bootstrap-servers")).isEqualTo("kafka:9092");
        assertThat(value(genArgs, "--topic")).isEqualTo(jobArgs.get(jobArgs.indexOf("--inference-topic") + 1));
    }

    @Test
    void composeFlinkConfigurationMirrorsFlinkConf() throws IOException {
        Map<String, String> conf = flinkConf();
        JsonNode services = composeFile().path("services");
        String jmProperties = services.path("jobmanager").path("environment").path("FLINK_PROPERTIES").asText();
        assertThat(services.path("taskmanager").path("environment").path("FLINK_PROPERTIES").asText())
                .as("JobManager and TaskManager share one configuration").isEqualTo(jmProperties);
        Map<String, String> props = new LinkedHashMap<>();
        for (String line : jmProperties.split("\n")) {
            if (line.isBlank()) continue;
            int colon = line.indexOf(": ");
            assertThat(colon).as("FLINK_PROPERTIES line '%s' is 'key: value'", line).isPositive();
            String value = line.substring(colon + 2).strip();
            assertThat(value).as("the image's entrypoint drops spaces inside values: '%s'", line).doesNotContain(" ");
            props.put(line.substring(0, colon).strip(), value);
        }
        for (String key : MIRRORED_FLINK_KEYS) {
            assertThat(props).as("compose FLINK_PROPERTIES vs flink-conf/config.yaml").containsEntry(key, conf.get(key));
        }
        for (String key : List.of("jobmanager.memory.process.size", "taskmanager.memory.process.size", "parallelism.default")) {
            assertThat(props).containsEntry(key, conf.get(key));
        }
        assertThat(props).containsEntry("jobmanager.rpc.address", "jobmanager");
        // Checkpoints and savepoints on the volume both Flink processes mount.
        Set<String> jmMounts = mountTargets(services.path("jobmanager"));
        Set<String> tmMounts = mountTargets(services.path("taskmanager"));
        for (String key : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir")) {
            String dir = props.get(key);
            assertThat(dir).startsWith("file:///");
            String path = dir.substring("file://".length());
            assertThat(jmMounts.stream().anyMatch(path::startsWith)).as("%s on a JobManager volume", key).isTrue();
            assertThat(tmMounts.stream().anyMatch(path::startsWith)).as("%s on a TaskManager volume", key).isTrue();
        }
    }

    @Test
    void composeTakesEveryPasswordFromTheEnvironment() throws IOException {
        Pattern required = Pattern.compile("\\$\\{(\\w+):\\?[^}]+}");
        for (Map.Entry<String, JsonNode> service : composeFile().path("services").properties()) {
            for (Map.Entry<String, JsonNode> env : service.getValue().path("environment").properties()) {
                if (SECRET_NAME.matcher(env.getKey()).find()) {
                    assertThat(env.getValue().asText()).as("%s of %s", env.getKey(), service.getKey()).matches(required);
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Kubernetes

    @Test
    void flinkDeploymentRunsTheJobFromTheImage() throws Exception {
        JsonNode fd = single(k8s("flink-deployment.yaml"), "FlinkDeployment");
        assertThat(fd.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        JsonNode spec = fd.path("spec");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo(pom.operatorFlinkVersion());
        assertThat(spec.path("image").asText()).isEqualTo("vigil:" + pom.version() + "-flink" + pom.flinkVersion());

        JsonNode job = spec.path("job");
        assertThat(job.path("jarURI").asText()).isEqualTo("local://" + JAR_IN_IMAGE);
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        String entryClass = job.path("entryClass").asText();
        assertThat(Class.forName(entryClass)).isEqualTo(Vigil.class);
        List<String> args = texts(job.path("args"));
        assertRun(parse(args), null, "jdbc:postgresql://vigil-postgres:5432/vigil");

        // The spec file is in the mounted monitor-spec ConfigMap.
        Path specFile = Path.of(value(args, "--spec"));
        JsonNode pod = spec.path("podTemplate").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("name").asText()).isEqualTo("flink-main-container");
        Map<String, String> mounts = new LinkedHashMap<>();
        container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
        Map<String, JsonNode> volumes = new LinkedHashMap<>();
        pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
        String specVolume = mounts.entrySet().stream()
                .filter(e -> e.getValue().equals(specFile.getParent().toString())).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("nothing is mounted at " + specFile.getParent()));
        String configMap = volumes.get(specVolume).path("configMap").path("name").asText();
        JsonNode specMap = k8sObject("ConfigMap", configMap);
        assertThat(specMap.path("data").has(specFile.getFileName().toString())).isTrue();

        // The database password comes from the Secret.
        JsonNode passwordEnv = null;
        for (JsonNode env : container.path("env")) {
            if (env.path("name").asText().equals("VIGIL_DB_PASSWORD")) passwordEnv = env;
        }
        assertThat(passwordEnv).as("VIGIL_DB_PASSWORD in the pod template").isNotNull();
        assertThat(passwordEnv.path("valueFrom").path("secretKeyRef").isObject()).isTrue();

        // Configuration: as flink-conf/config.yaml, state on the shared volume, Prometheus.
        Map<String, String> conf = flinkConf();
        JsonNode flinkConfiguration = spec.path("flinkConfiguration");
        for (String key : MIRRORED_FLINK_KEYS) {
            assertThat(flinkConfiguration.path(key).isTextual()).as("%s is a string", key).isTrue();
            assertThat(flinkConfiguration.path(key).asText()).as(key).isEqualTo(conf.get(key));
        }
        String dataMount = mounts.get(volumes.entrySet().stream()
                .filter(e -> e.getValue().has("persistentVolumeClaim")).map(Map.Entry::getKey).findFirst().orElseThrow());
        for (String key : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir",
                "high-availability.storageDir")) {
            assertThat(flinkConfiguration.path(key).asText()).as(key).startsWith("file://" + dataMount + "/");
        }
        assertThat(spec.path("jobManager").path("resource").path("memory").asText())
                .isEqualTo(conf.get("jobmanager.memory.process.size"));
        assertThat(spec.path("taskManager").path("resource").path("memory").asText())
                .isEqualTo(conf.get("taskmanager.memory.process.size"));
        assertThat(job.path("parallelism").asText()).isEqualTo(conf.get("parallelism.default"));
    }

    @Test
    void kubernetesMonitorSpecIsValid() throws IOException {
        JsonNode configMap = k8sObject("ConfigMap", "vigil-monitor-spec");
        String yaml = configMap.path("data").path("monitor-spec.yaml").asText();
        MonitorSpec spec = MonitorSpecLoader.parse(yaml);
        assertThat(spec.models()).isNotEmpty();
        // It ships the demo spec the image and the generator's models go with; keep the copy current.
        assertThat(yaml).as("deploy/kubernetes/monitor-spec-configmap.yaml holds a copy of the demo spec:"
                        + " copy src/main/resources/demo/monitor-spec.yaml into it (indented by 4)")
                .isEqualTo(Files.readString(root.resolve("src/main/resources/demo/monitor-spec.yaml")));
    }

    @Test
    void initDbJobRunsTheRealCommandLine() throws IOException {
        JsonNode job = k8sObject("Job", "vigil-init-db");
        JsonNode container = job.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(container.path("image").asText()).isEqualTo("vigil:" + pom.version() + "-flink" + pom.flinkVersion());
        assertLauncher(texts(container.path("command")));
        ParseResult init = parse(texts(container.path("args")));
        assertThat(init.subcommand().commandSpec().name()).isEqualTo("init-db");
        Set<String> env = new TreeSet<>();
        container.path("env").forEach(e -> env.add(e.path("name").asText()));
        assertThat(env).contains("VIGIL_DB_PASSWORD", "VIGIL_READER_PASSWORD");
    }

    @Test
    void kubernetesResourcesSecretsAndGrafanaAreConsistent() throws IOException {
        Path dir = deploy.resolve("kubernetes");
        JsonNode kustomization = load(dir.resolve("kustomization.yaml")).get(0);
        Set<String> resources = new TreeSet<>(texts(kustomization.path("resources")));
        for (String resource : resources) {
            assertThat(dir.resolve(resource)).as("kustomization resource %s", resource).isRegularFile();
        }
        Set<String> manifests = new TreeSet<>();
        for (Path file : yamlFiles(dir)) {
            manifests.add(dir.relativize(file).toString());
        }
        manifests.removeAll(Set.of("kustomization.yaml", "kustomizeconfig.yaml", "secret.template.yaml"));
        assertThat(resources).as("every manifest but the Secret template is applied").isEqualTo(manifests);
        assertThat(kustomization.path("images").get(0).path("newTag").asText())
                .isEqualTo(pom.version() + "-flink" + pom.flinkVersion());

        // Every secretKeyRef names a key of the Secret template, whose values stay empty.
        JsonNode secret = single(load(dir.resolve("secret.template.yaml")), "Secret");
        String secretName = secret.path("metadata").path("name").asText();
        Set<String> keys = names(secret.path("stringData"));
        secret.path("stringData").forEach(v -> assertThat(v.asText()).as("the template holds no password").isEmpty());
        assertThat(secret.has("data")).isFalse();
        List<JsonNode> refs = new ArrayList<>();
        for (JsonNode doc : allK8s()) {
            collect(doc, "secretKeyRef", refs);
        }
        assertThat(refs).isNotEmpty();
        for (JsonNode ref : refs) {
            assertThat(ref.path("name").asText()).isEqualTo(secretName);
            assertThat(keys).contains(ref.path("key").asText());
        }

        // Grafana: the provisioning ConfigMaps are copies of deploy/grafana/provisioning, mounted where
        // Grafana reads them; the dashboards are mounted where the provider looks.
        Map<String, String> configMapByMount = new LinkedHashMap<>();
        JsonNode grafana = k8sObject("Deployment", "vigil-grafana");
        JsonNode pod = grafana.path("spec").path("template").path("spec");
        Map<String, String> volumeToConfigMap = new LinkedHashMap<>();
        pod.path("volumes").forEach(v -> volumeToConfigMap.put(v.path("name").asText(), v.path("configMap").path("name").asText()));
        JsonNode container = pod.path("containers").get(0);
        container.path("volumeMounts").forEach(m ->
                configMapByMount.put(m.path("mountPath").asText(), volumeToConfigMap.get(m.path("name").asText())));
        for (String kind : List.of("datasources", "dashboards")) {
            String configMapName = configMapByMount.get("/etc/grafana/provisioning/" + kind);
            assertThat(configMapName).as("provisioning/%s is mounted", kind).isNotBlank();
            JsonNode data = k8sObject("ConfigMap", configMapName).path("data");
            List<Path> files = yamlFiles(deploy.resolve("grafana/provisioning/" + kind));
            assertThat(names(data)).as("ConfigMap %s has the files of deploy/grafana/provisioning/%s", configMapName, kind)
                    .isEqualTo(files.stream().map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
            for (Path file : files) {
                assertThat(data.path(file.getFileName().toString()).asText())
                        .as("ConfigMap %s is a copy of %s", configMapName, rel(file))
                        .isEqualTo(Files.readString(file));
            }
        }
        assertThat(configMapByMount.get(dashboardsPath())).isEqualTo("vigil-grafana-dashboards");
        Set<String> env = new TreeSet<>();
        container.path("env").forEach(e -> env.add(e.path("name").asText()));
        assertThat(env).containsAll(datasourceVariables());
    }

    // ---------------------------------------------------------------------------------------------
    // docs/operations.md

    @Test
    void operationsGuideNamesEveryOperatorUid() throws IOException {
        String guide = Files.readString(root.resolve("docs/operations.md"));
        Set<String> uids = new TreeSet<>();
        Pattern uid = Pattern.compile("\\.uid\\(\"([^\"]+)\"\\)");
        try (Stream<Path> sources = Files.walk(root.resolve("src/main/java/dev/vigil"))) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (source.toString().contains("/bench/")) continue;
                Matcher m = uid.matcher(Files.readString(source));
                while (m.find()) uids.add(m.group(1));
            }
        }
        assertThat(uids).as("the job's operator uids").hasSizeGreaterThanOrEqualTo(8);
        for (String u : uids) {
            assertThat(guide).as("docs/operations.md names the uid %s (savepoint compatibility)", u).contains("`" + u + "`");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Passwords

    /** A name that holds a secret: ..._PASSWORD, password, db-password, api_token, client-secret ... */
    static final Pattern SECRET_NAME = Pattern.compile("(?i)(^|[_.-])(password|passwd|secret|token)$");
    private static final Pattern ENV_ASSIGNMENT = Pattern.compile(
            "\\b([A-Za-z][A-Za-z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN))=(\"[^\"]*\"|'[^']*'|[^\\s;&|)`]+)");
    private static final Pattern PASSWORD_FLAG = Pattern.compile("--(?:[a-z-]*-)?password[= ]+(\\S+)");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:([^@\\s/]+)@");
    private static final Pattern JDBC_PASSWORD = Pattern.compile("[?&;]password=([^&\\s]+)");

    @Test
    void noFileContainsAPassword() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(deploy)) {
            files = new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
        }
        files.add(root.resolve("docs/operations.md"));
        List<String> findings = new ArrayList<>();
        for (Path file : files) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            } catch (CharacterCodingException binary) {
                continue;
            }
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                for (Pattern p : List.of(ENV_ASSIGNMENT, PASSWORD_FLAG, URL_CREDENTIALS, JDBC_PASSWORD)) {
                    Matcher m = p.matcher(lines[i]);
                    while (m.find()) {
                        String value = m.group(m.groupCount());
                        if (!placeholder(value)) findings.add(rel(file) + ":" + (i + 1) + ": " + lines[i].strip());
                    }
                }
            }
            String name = file.getFileName().toString();
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                for (JsonNode doc : load(file)) {
                    secretValues(doc, rel(file), findings);
                }
            }
        }
        assertThat(findings).as("values that look like real passwords").isEmpty();
    }

    /** What may stand where a password would: nothing, a variable, a <placeholder>, "...". */
    static boolean placeholder(String value) {
        String v = value.strip();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            v = v.substring(1, v.length() - 1).strip();
        }
        return v.isEmpty() || v.startsWith("$") || v.startsWith("<") || v.startsWith("...") || v.startsWith("***")
                || v.startsWith("%") || v.startsWith("{{");
    }

    private static void secretValues(JsonNode node, String where, List<String> findings) {
        if (node.isObject()) {
            boolean isSecret = node.path("kind").asText().equals("Secret");
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                JsonNode v = e.getValue();
                if (v.isValueNode() && !v.isNull() && SECRET_NAME.matcher(e.getKey()).find() && !placeholder(v.asText())) {
                    findings.add(where + ": " + e.getKey() + ": " + v.asText());
                }
                if (isSecret && (e.getKey().equals("data") || e.getKey().equals("stringData"))) {
                    v.properties().forEach(d -> {
                        if (!placeholder(d.getValue().asText())) findings.add(where + ": Secret value " + d.getKey());
                    });
                }
            }
            // Kubernetes env entries: {name: X_PASSWORD, value: literal}
            if (node.has("name") && node.has("value") && SECRET_NAME.matcher(node.path("name").asText()).find()
                    && !placeholder(node.path("value").asText())) {
                findings.add(where + ": env " + node.path("name").asText() + " has a literal value");
            }
            node.properties().forEach(e -> secretValues(e.getValue(), where, findings));
        } else if (node.isArray()) {
            node.forEach(n -> secretValues(n, where, findings));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    static ParseResult parse(List<String> args) {
        CommandLine cli = new CommandLine(new Vigil());
        try {
            return cli.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new AssertionError("the Vigil command line rejects " + args + ": " + e.getMessage(), e);
        }
    }

    static void assertRun(ParseResult result, String bootstrapServers, String jdbcUrl) {
        ParseResult run = result.subcommand();
        assertThat(run).as("a subcommand").isNotNull();
        assertThat(run.commandSpec().name()).isEqualTo("run");
        assertThat(run.hasMatchedOption("--spec")).isTrue();
        assertThat(run.hasMatchedOption("--bootstrap-servers")).isTrue();
        if (bootstrapServers != null) {
            assertThat(run.matchedOptionValue("--bootstrap-servers", "")).isEqualTo(bootstrapServers);
        }
        assertThat(run.matchedOptionValue("--jdbc-url", "")).isEqualTo(jdbcUrl);
        assertThat(run.hasMatchedOption("--db-user")).isTrue();
    }

    /** java ... -cp <the job jar>:<Flink's lib> dev.vigil.Vigil */
    static void assertLauncher(List<String> command) {
        assertThat(command.get(0)).isEqualTo("java");
        assertThat(command.get(command.size() - 1)).isEqualTo(Vigil.class.getName());
        String classpath = value(command, "-cp");
        assertThat(classpath.split(":")).containsExactly(JAR_IN_IMAGE, "/opt/flink/lib/*");
    }

    static String value(List<String> args, String option) {
        int i = args.indexOf(option);
        assertThat(i).as("%s in %s", option, args).isGreaterThanOrEqualTo(0);
        return args.get(i + 1);
    }

    /**
     * The words bash would run for a compose command string: compose interpolation with the
     * defaults (${VAR:-default}), optional bash expansions (${VAR:+...}) left out, command
     * substitutions replaced by a fixed value, double quotes removed.
     */
    static List<String> shellWords(String command) {
        String s = command.replaceAll("\\$\\$\\{\\w+:\\+[^}]*}", " ");
        s = s.replaceAll("\\$\\$\\(date[^)]*\\)", "2026-11-27T03:00:00Z");
        Matcher m = Pattern.compile("(?<!\\$)\\$\\{(\\w+):-([^}]*)}").matcher(s);
        s = m.replaceAll(r -> Matcher.quoteReplacement(r.group(2)));
        assertThat(s).as("unhandled expansion in %s", command).doesNotContain("$");
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (char c : s.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(word.toString());
        return words;
    }

    static Map<String, String> dockerCopies(List<String> lines) {
        Map<String, String> copies = new LinkedHashMap<>();
        for (String line : lines) {
            if (!line.startsWith("COPY ")) continue;
            List<String> words = new ArrayList<>(List.of(line.substring(5).trim().split("\\s+")));
            words.removeIf(w -> w.startsWith("--"));
            assertThat(words).as(line).hasSize(2);
            copies.put(words.get(0), words.get(1));
        }
        return copies;
    }

    /** flink-conf/config.yaml flattened to Flink's dotted keys. */
    static Map<String, String> flinkConf() throws IOException {
        Map<String, String> flat = new TreeMap<>();
        flatten("", load(root.resolve("flink-conf/config.yaml")).get(0), flat);
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else {
            out.put(prefix, node.asText());
        }
    }

    /** Where the dashboard provider of deploy/grafana/provisioning/dashboards reads the JSON files. */
    static String dashboardsPath() throws IOException {
        Set<String> paths = new TreeSet<>();
        for (Path file : yamlFiles(deploy.resolve("grafana/provisioning/dashboards"))) {
            for (JsonNode doc : load(file)) {
                doc.path("providers").forEach(p -> paths.add(p.path("options").path("path").asText()));
            }
        }
        assertThat(paths).hasSize(1);
        return paths.iterator().next();
    }

    /** The environment variables the Grafana datasource files refer to ($NAME or ${NAME}). */
    static Set<String> datasourceVariables() throws IOException {
        Set<String> vars = new TreeSet<>();
        Pattern ref = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)");
        for (Path file : yamlFiles(deploy.resolve("grafana/provisioning/datasources"))) {
            for (String line : Files.readAllLines(file)) {
                String content = line.strip().startsWith("#") ? "" : line.replaceAll("\\s#.*$", "");
                Matcher m = ref.matcher(content);
                while (m.find()) vars.add(m.group(1));
            }
        }
        assertThat(vars).contains("VIGIL_READER_PASSWORD");
        return vars;
    }

    static Set<String> mountTargets(JsonNode service) {
        Set<String> targets = new TreeSet<>();
        for (JsonNode volume : service.path("volumes")) {
            targets.add(volume.isTextual() ? volume.asText().split(":")[1] : volume.path("target").asText());
        }
        return targets;
    }

    static JsonNode composeFile() throws IOException {
        return load(deploy.resolve("docker-compose.yml")).get(0);
    }

    static List<JsonNode> k8s(String file) throws IOException {
        return load(deploy.resolve("kubernetes").resolve(file));
    }

    static List<JsonNode> allK8s() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        for (Path file : yamlFiles(deploy.resolve("kubernetes"))) {
            docs.addAll(load(file));
        }
        return docs;
    }

    static JsonNode k8sObject(String kind, String name) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode doc : allK8s()) {
            if (doc.path("kind").asText().equals(kind) && doc.path("metadata").path("name").asText().equals(name)) {
                found.add(doc);
            }
        }
        assertThat(found).as("%s %s in deploy/kubernetes", kind, name).hasSize(1);
        return found.get(0);
    }

    static JsonNode single(List<JsonNode> docs, String kind) {
        List<JsonNode> matching = docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertThat(matching).as("one %s", kind).hasSize(1);
        return matching.get(0);
    }

    private static void collect(JsonNode node, String field, List<JsonNode> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> {
                if (e.getKey().equals(field)) out.add(e.getValue());
                collect(e.getValue(), field, out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, field, out));
        }
    }

    /** The documents of a YAML file with anchors, aliases and merge keys resolved (SnakeYAML), as a tree. */
    static List<JsonNode> load(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> docs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file)) {
            for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                if (doc != null) docs.add(json.valueToTree(doc));
            }
        }
        return docs;
    }

    static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted().toList();
        }
    }

    static Set<String> names(JsonNode object) {
        Set<String> names = new LinkedHashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static String rel(Path file) {
        return root.relativize(file).toString();
    }

    private static Element child(Element parent, String name) {
        for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) return e;
        }
        throw new AssertionError("no <" + name + "> in pom.xml");
    }

    private static String text(Element parent, String name) {
        return child(parent, name).getTextContent().strip();
    }
}
