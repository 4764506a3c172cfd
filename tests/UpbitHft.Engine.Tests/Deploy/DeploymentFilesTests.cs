using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace UpbitHft.Engine.Tests.Deploy;

/// <summary>
/// The deployment files under <c>deploy/</c> checked by reading them: Docker's engine does not run on the project's
/// machines, so the Dockerfile is parsed rather than built; the systemd unit, the Grafana dashboard and the
/// Prometheus files are parsed too, and their metric names are held to the engine's list (<see cref="EngineMetrics"/>).
/// </summary>
public class DeploymentFilesTests
{
    private const string DockerfilePath = "deploy/Dockerfile";
    private const string UnitPath = "deploy/upbithft.service";
    private const string DashboardPath = "deploy/grafana/upbithft-dashboard.json";
    private const string AlertsPath = "deploy/upbithft-alerts.yml";
    private const string JournalDirectory = "/var/lib/upbithft";
    private const int MetricsPort = 9464;

    private static readonly string[] s_secretNames = ["UPBIT_ACCESS_KEY", "UPBIT_SECRET_KEY"];

    private static IReadOnlyList<DockerStage> Stages() => DockerStage.Split(DockerfileParser.Parse(RepositoryRoot.ReadText(DockerfilePath)));

    private static SystemdUnit Unit() => SystemdUnit.Parse(RepositoryRoot.ReadText(UnitPath));

    [Fact]
    public void Dockerfile_parser_joins_continuations_and_drops_comments_and_blank_lines()
    {
        const string text = "# syntax=docker/dockerfile:1\n"
            + "FROM base:1 AS build\n"
            + "# a comment\n"
            + "RUN a \\\n"
            + "    # a comment inside the continuation\n"
            + "\n"
            + "    && b\n"
            + "ENV A=1 B=\"two words\" C=\n"
            + "from build as final\n"
            + "COPY --from=build --chown=1:1 /out/ /app/\n"
            + "ENTRYPOINT [\"dotnet\", \"x.dll\"]\n";
        var instructions = DockerfileParser.Parse(text);

        Assert.Equal(["FROM", "RUN", "ENV", "FROM", "COPY", "ENTRYPOINT"], instructions.Select(i => i.Keyword));
        Assert.Equal("a  && b", instructions[1].Arguments);
        Assert.Equal(4, instructions[1].Line);
        Assert.Equal([new("A", "1"), new("B", "two words"), new KeyValuePair<string, string?>("C", "")], instructions[2].Assignments);
        Assert.Equal("build", instructions[4].Flags["from"]);
        Assert.Equal(["/out/", "/app/"], instructions[4].Operands);
        Assert.Equal(["dotnet", "x.dll"], instructions[5].ExecForm);

        var stages = DockerStage.Split(instructions);
        Assert.Equal([("base:1", "build"), ("build", "final")], stages.Select(s => (s.Image, s.Name)));

        var escaped = DockerfileParser.Parse("# escape=`\nRUN a `\n  b\n");
        Assert.Equal("a  b", Assert.Single(escaped).Arguments);
        Assert.Throws<FormatException>(() => DockerfileParser.Parse("RUN a \\\n"));
    }

    [Fact]
    public void Dockerfile_is_multi_stage_and_copies_only_from_earlier_stages()
    {
        var stages = Stages();

        Assert.True(stages.Count >= 2, $"expected a build stage and a runtime stage, found {stages.Count} FROM");
        Assert.All(stages, s => Assert.False(string.IsNullOrEmpty(s.Name), $"FROM {s.Image} has no AS name"));
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", stages[0].Image, StringComparison.Ordinal);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", stages[^1].Image, StringComparison.Ordinal);
        Assert.Contains(stages[0].All("RUN"), r => r.Arguments.Contains("dotnet publish src/Engine", StringComparison.Ordinal));

        foreach (var stage in stages)
        {
            foreach (var copy in stage.All("COPY"))
            {
                if (copy.Flags.TryGetValue("from", out var from))
                {
                    var source = stages.FirstOrDefault(s => s.Name == from)
                        ?? (int.TryParse(from, CultureInfo.InvariantCulture, out var index) && index < stages.Count ? stages[index] : null);
                    Assert.True(source is not null && source.Index < stage.Index,
                        $"line {copy.Line}: COPY --from={from} in stage '{stage.Name}' names no earlier stage");
                }
            }
        }
    }

    [Fact]
    public void Dockerfile_final_stage_runs_as_a_fixed_non_root_user()
    {
        var final = Stages()[^1];
        var user = final.Last("USER");

        Assert.NotNull(user);
        Assert.True(user.Line > final.Instructions.Where(i => i.Keyword == "RUN").Select(i => i.Line).DefaultIfEmpty(0).Max(),
            "USER comes after the last RUN, so nothing after it runs as root");
        // uid:gid as numbers: fixed ownership of the volume, and checkable by runtimes that require a non-root uid.
        var match = Regex.Match(user.Arguments, @"^(\d+):(\d+)$");
        Assert.True(match.Success, $"USER should be a numeric uid:gid, got '{user.Arguments}'");
        Assert.NotEqual("0", match.Groups[1].Value);
        Assert.NotEqual("0", match.Groups[2].Value);
    }

    [Fact]
    public void Dockerfile_never_carries_the_api_keys()
    {
        var instructions = DockerfileParser.Parse(RepositoryRoot.ReadText(DockerfilePath));

        foreach (var declaration in instructions.Where(i => i.Keyword is "ARG" or "ENV"))
        {
            foreach (var (name, _) in declaration.Assignments)
            {
                // Not even declared: a build argument or an image variable ends up in the image's history.
                Assert.DoesNotContain(name, s_secretNames);
                Assert.DoesNotMatch(new Regex("SECRET|PASSWORD|TOKEN|ACCESS_KEY", RegexOptions.IgnoreCase), name);
            }
        }

        foreach (var instruction in instructions)
        {
            foreach (var secret in s_secretNames)
            {
                Assert.DoesNotContain(secret + "=", instruction.Arguments, StringComparison.Ordinal);
            }
        }

        Assert.DoesNotContain(instructions, i => i.Keyword == "COPY" && i.Arguments.Contains(".env", StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerfile_keeps_the_journal_on_a_volume_exposes_the_metrics_port_and_stops_with_sigterm()
    {
        var final = Stages()[^1];

        var volume = final.Last("VOLUME");
        Assert.NotNull(volume);
        Assert.Contains(JournalDirectory, volume.ExecForm ?? volume.Words);
        Assert.Equal(JournalDirectory, final.Last("WORKDIR")?.Arguments);
        Assert.Contains(final.All("EXPOSE"), e => e.Words.Contains(MetricsPort.ToString(CultureInfo.InvariantCulture)));
        Assert.Equal("SIGTERM", final.Last("STOPSIGNAL")?.Arguments);

        var env = final.All("ENV").SelectMany(e => e.Assignments).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        Assert.Equal("0", env["DOTNET_gcServer"]);
        Assert.Equal("1", env["DOTNET_TieredPGO"]);
        Assert.False(env.ContainsKey("DOTNET_GCgen0size"), "DOTNET_GCgen0size is left to the runtime");
    }

    [Fact]
    public void Dockerfile_entrypoint_runs_upbithft_dll_in_exec_form_with_replay_as_the_default()
    {
        var final = Stages()[^1];

        // Exec form: dotnet is PID 1 and receives SIGTERM itself (a shell form would put /bin/sh in between).
        var entrypoint = final.Last("ENTRYPOINT")?.ExecForm;
        Assert.NotNull(entrypoint);
        Assert.Equal("dotnet", entrypoint[0]);
        Assert.EndsWith("upbithft.dll", entrypoint[1], StringComparison.Ordinal);
        Assert.Equal(["replay"], final.Last("CMD")?.ExecForm);

        // The published files land where the entry point looks for them.
        var copy = Assert.Single(final.All("COPY"), c => c.Flags.ContainsKey("from"));
        Assert.StartsWith(copy.Operands[^1].TrimEnd('/') + "/", entrypoint[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_copies_only_files_that_exist_and_that_dockerignore_keeps()
    {
        var ignore = new DockerIgnore(RepositoryRoot.ReadText(".dockerignore"));

        foreach (var stage in Stages())
        {
            foreach (var copy in stage.All("COPY").Concat(stage.All("ADD")).Where(c => !c.Flags.ContainsKey("from")))
            {
                foreach (var source in copy.Operands.SkipLast(1))
                {
                    Assert.DoesNotContain('*', source);
                    Assert.True(File.Exists(RepositoryRoot.File(source)) || Directory.Exists(RepositoryRoot.File(source)),
                        $"line {copy.Line}: {source} is not in the repository");
                    Assert.False(ignore.Excludes(source), $"line {copy.Line}: .dockerignore leaves {source} out of the context");
                }
            }
        }

        // Host build output never reaches the image; secrets and the repository's history never enter the context.
        Assert.True(ignore.Excludes("src/Engine/bin/Release/net10.0/upbithft.dll"));
        Assert.True(ignore.Excludes("src/Feed/obj/project.assets.json"));
        Assert.True(ignore.Excludes(".git/config"));
        Assert.True(ignore.Excludes("deploy/upbithft.env"));
        Assert.True(ignore.Excludes("upbithft.env"));
        Assert.True(ignore.Excludes("live.db-wal"));
        Assert.True(ignore.Excludes("perf-reports/latency/wire_to_order_live_engine.hgrm"));
        Assert.False(ignore.Excludes("src/Engine/Program.cs"));
    }

    [Fact]
    public void Dockerfile_health_check_uses_only_a_tool_the_image_installs()
    {
        var final = Stages()[^1];
        var check = final.Last("HEALTHCHECK");
        if (check is null || check.Arguments.Equals("NONE", StringComparison.OrdinalIgnoreCase))
        {
            return; // none: the Dockerfile says why (the .NET images have no curl or wget)
        }

        foreach (var tool in new[] { "curl", "wget" }.Where(t => check.Arguments.Contains(t, StringComparison.Ordinal)))
        {
            Assert.Contains(final.All("RUN"), r => Regex.IsMatch(r.Arguments, $@"(apt-get|apk|tdnf|dnf) .*install.*\b{tool}\b"));
        }
    }

    [Fact]
    public void Systemd_unit_parser_reads_sections_repeated_keys_and_continuations()
    {
        var unit = SystemdUnit.Parse("[Service]\n; comment\nEnvironment=A=1\nEnvironment=B=2\nExecStart=/bin/x \\\n# inside\n  --flag 1\n");

        Assert.Equal(["A=1", "B=2"], unit.All("Service", "Environment"));
        Assert.Equal("/bin/x  --flag 1", unit.Get("Service", "ExecStart"));
        Assert.Null(unit.Get("Unit", "ExecStart"));
        Assert.Throws<FormatException>(() => SystemdUnit.Parse("Key=outside a section\n"));
    }

    [Fact]
    public void Systemd_unit_restarts_on_failure_and_gives_the_orderly_shutdown_time()
    {
        var unit = Unit();

        Assert.Equal(["Unit", "Service", "Install"], unit.Sections);
        Assert.Equal("on-failure", unit.Get("Service", "Restart"));
        Assert.Equal("5", unit.Get("Service", "RestartSec"));
        Assert.Equal("2", unit.Get("Service", "RestartPreventExitStatus")); // bad options: a restart cannot help
        Assert.Contains(unit.Get("Service", "Type"), new[] { "exec", "simple" });
        Assert.Equal("SIGTERM", unit.Get("Service", "KillSignal"));
        // The engine waits up to 30 s for the exchange's answers, then flushes the journal.
        Assert.True(Seconds(unit.Get("Service", "TimeoutStopSec")) >= 45, "TimeoutStopSec must leave room for the 30 s answer wait");
        Assert.Equal("multi-user.target", unit.Get("Install", "WantedBy"));
    }

    [Fact]
    public void Systemd_unit_runs_as_a_service_user_with_the_keys_from_an_environment_file()
    {
        var unit = Unit();

        var user = unit.Get("Service", "User");
        Assert.False(string.IsNullOrEmpty(user));
        Assert.DoesNotContain(user, new[] { "root", "0" });
        var environmentFile = unit.Get("Service", "EnvironmentFile");
        Assert.NotNull(environmentFile);
        Assert.StartsWith("/etc/", environmentFile, StringComparison.Ordinal); // no leading '-': a missing file is an error

        foreach (var key in new[] { "Environment", "ExecStart", "ExecStartPre" })
        {
            foreach (var value in unit.All("Service", key))
            {
                Assert.All(s_secretNames, secret => Assert.DoesNotContain(secret, value, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void Systemd_unit_is_hardened_and_can_write_its_journal()
    {
        var unit = Unit();
        var expected = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["NoNewPrivileges"] = "yes",
            ["ProtectSystem"] = "strict",
            ["ProtectHome"] = "yes",
            ["PrivateTmp"] = "yes",
            ["PrivateDevices"] = "yes",
            ["ProtectKernelTunables"] = "yes",
            ["ProtectKernelModules"] = "yes",
            ["ProtectControlGroups"] = "yes",
            ["RestrictNamespaces"] = "yes",
            ["RestrictSUIDSGID"] = "yes",
            ["LockPersonality"] = "yes",
            ["CapabilityBoundingSet"] = "",
            ["UMask"] = "0077",
            ["StateDirectory"] = "upbithft",
        };
        foreach (var (key, value) in expected)
        {
            Assert.True(unit.Get("Service", key) == value, $"{key}={unit.Get("Service", key)}, expected {key}={value}");
        }

        // The JIT writes code and then runs it: this one would stop the engine from starting.
        Assert.NotEqual("yes", unit.Get("Service", "MemoryDenyWriteExecute"));

        // With ProtectSystem=strict only ReadWritePaths (and the state directory) can be written: the journal must be there.
        var writable = unit.All("Service", "ReadWritePaths").SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        Assert.Contains(JournalDirectory, writable);
        var exec = DockerfileParser.Words(unit.Get("Service", "ExecStart") ?? "");
        Assert.Equal(["/usr/bin/dotnet", "/opt/upbithft/upbithft.dll", "live", "--confirm-live"], exec.Take(4));
        var journal = exec[exec.ToList().IndexOf("--journal") + 1];
        Assert.StartsWith(JournalDirectory + "/", journal, StringComparison.Ordinal);
        Assert.Equal(MetricsPort.ToString(CultureInfo.InvariantCulture), exec[exec.ToList().IndexOf("--metrics-port") + 1]);
    }

    [Fact]
    public void Environment_example_has_placeholders_for_both_keys_and_no_value_that_looks_real()
    {
        var lines = RepositoryRoot.ReadText("deploy/upbithft.env.example").Split('\n')
            .Select(l => l.Trim()).Where(l => l.Length > 0 && l[0] != '#').ToArray();
        var values = lines.Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

        Assert.All(s_secretNames, name => Assert.StartsWith("replace-", values[name], StringComparison.Ordinal));
        Assert.All(values.Keys, name => Assert.Matches("^(UPBIT|UPBITHFT|DOTNET)_[A-Z0-9_]+$", name));
    }

    [Fact]
    public void Metric_names_are_found_in_promql_and_checked_against_the_engine_list()
    {
        Assert.Equal(["upbithft_tick_to_order_seconds_bucket"],
            EngineMetrics.NamesIn("histogram_quantile(0.99, sum by (le) (rate(upbithft_tick_to_order_seconds_bucket{instance=~\"$instance\"}[$__rate_interval])))"));
        Assert.Equal(["upbithft_free_krw", "upbithft_open_positions"], EngineMetrics.NamesIn("upbithft_free_krw < 5e3 and upbithft_open_positions == 0"));
        Assert.Equal(["up"], EngineMetrics.NamesIn("up{job=\"upbithft\"} == 0"));

        Assert.Null(EngineMetrics.Problem("upbithft_orders_total"));
        Assert.Null(EngineMetrics.Problem("upbithft_tick_to_decision_seconds_count"));
        Assert.NotNull(EngineMetrics.Problem("upbithft_tick_to_decision_seconds")); // a histogram has no bare series
        Assert.NotNull(EngineMetrics.Problem("upbithft_orders_total_bucket"));
        Assert.NotNull(EngineMetrics.Problem("up"));
    }

    [Fact]
    public void Grafana_dashboard_queries_only_metrics_the_engine_exports()
    {
        using var dashboard = JsonDocument.Parse(RepositoryRoot.ReadText(DashboardPath));
        var exprs = Properties(dashboard.RootElement, "expr").Select(e => e.GetString()!).ToArray();

        Assert.NotEmpty(exprs);
        var problems = exprs.SelectMany(e => EngineMetrics.NamesIn(e).Select(n => EngineMetrics.Problem(n) is { } p ? $"{p} in: {e}" : null))
            .OfType<string>().ToArray();
        Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems));
        Assert.All(exprs, e => Assert.NotEmpty(EngineMetrics.NamesIn(e)));

        // Template variables query label values of an engine metric too.
        foreach (var definition in Properties(dashboard.RootElement, "definition").Select(d => d.GetString()!))
        {
            var metric = Regex.Match(definition, @"label_values\((\w+)");
            Assert.True(metric.Success && EngineMetrics.Problem(metric.Groups[1].Value) is null, definition);
        }
    }

    [Fact]
    public void Grafana_dashboard_shows_every_engine_metric_through_the_datasource_input()
    {
        using var dashboard = JsonDocument.Parse(RepositoryRoot.ReadText(DashboardPath));
        var root = dashboard.RootElement;

        var input = Assert.Single(root.GetProperty("__inputs").EnumerateArray());
        Assert.Equal("DS_PROMETHEUS", input.GetProperty("name").GetString());
        Assert.Equal("prometheus", input.GetProperty("pluginId").GetString());
        Assert.InRange(root.GetProperty("schemaVersion").GetInt32(), 36, 41);
        foreach (var datasource in Properties(root, "datasource"))
        {
            Assert.Equal("${DS_PROMETHEUS}", datasource.GetProperty("uid").GetString());
        }

        var used = Properties(root, "expr").SelectMany(e => EngineMetrics.NamesIn(e.GetString()!)).Select(EngineMetrics.Family).ToHashSet();
        var missing = EngineMetrics.Known.Keys.Where(k => !used.Contains(k)).ToArray();
        Assert.True(missing.Length == 0, "not on the dashboard: " + string.Join(", ", missing));

        // Panels: unique ids, queries on every non-row panel, and no two panels on the same grid cells.
        var panels = root.GetProperty("panels").EnumerateArray().ToArray();
        Assert.Equal(panels.Length, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        var cells = new HashSet<(int X, int Y)>();
        foreach (var panel in panels)
        {
            var title = panel.GetProperty("title").GetString();
            if (panel.GetProperty("type").GetString() != "row")
            {
                Assert.True(panel.TryGetProperty("targets", out var targets) && targets.GetArrayLength() > 0, $"panel '{title}' has no query");
            }

            var grid = panel.GetProperty("gridPos");
            int x = grid.GetProperty("x").GetInt32(), y = grid.GetProperty("y").GetInt32(), w = grid.GetProperty("w").GetInt32(), h = grid.GetProperty("h").GetInt32();
            Assert.True(x >= 0 && w > 0 && x + w <= 24, $"panel '{title}' is outside the 24-column grid");
            for (var cx = x; cx < x + w; cx++)
            {
                for (var cy = y; cy < y + h; cy++)
                {
                    Assert.True(cells.Add((cx, cy)), $"panel '{title}' overlaps another at ({cx},{cy})");
                }
            }
        }
    }

    [Fact]
    public void Alert_rules_and_scrape_config_use_only_engine_metrics_and_the_metrics_port()
    {
        var exprs = RepositoryRoot.ReadText(AlertsPath).Split('\n')
            .Select(l => Regex.Match(l, @"^\s*expr:\s*(.+?)\s*$")).Where(m => m.Success)
            .Select(m => m.Groups[1].Value.Trim('"', '\'')).ToArray();

        Assert.NotEmpty(exprs);
        foreach (var expr in exprs)
        {
            var names = EngineMetrics.NamesIn(expr);
            Assert.NotEmpty(names);
            Assert.All(names, n => Assert.True(EngineMetrics.Problem(n) is null, $"{EngineMetrics.Problem(n)} in: {expr}"));
        }

        var prometheus = RepositoryRoot.ReadText("deploy/prometheus.yml");
        Assert.Matches($@"targets:\s*\[\s*""127\.0\.0\.1:{MetricsPort}""\s*\]", prometheus);
        Assert.Contains("- " + Path.GetFileName(AlertsPath), prometheus, StringComparison.Ordinal);
    }

    /// <summary>Every value of a property with this name, anywhere in the document.</summary>
    private static IEnumerable<JsonElement> Properties(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.NameEquals(name))
                {
                    yield return property.Value;
                }

                foreach (var inner in Properties(property.Value, name))
                {
                    yield return inner;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                foreach (var inner in Properties(item, name))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>A systemd time span ("60", "60s", "1min 30s", "infinity") in seconds.</summary>
    private static double Seconds(string? span)
    {
        Assert.NotNull(span);
        if (span == "infinity")
        {
            return double.PositiveInfinity;
        }

        var total = 0.0;
        foreach (Match m in Regex.Matches(span, @"(\d+(?:\.\d+)?)\s*([a-z]*)"))
        {
            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "" or "s" or "sec" or "second" or "seconds" => value,
                "ms" or "msec" => value / 1000,
                "m" or "min" or "minute" or "minutes" => value * 60,
                "h" or "hr" or "hour" or "hours" => value * 3600,
                var unit => throw new FormatException($"unknown time unit '{unit}' in '{span}'"),
            };
        }

        return total;
    }
}
