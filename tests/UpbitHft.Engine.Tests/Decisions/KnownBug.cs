namespace UpbitHft.Engine.Tests.Decisions;

/// <summary>
/// Core bugs the property found (reported, not fixed here). <see cref="ScenarioReplay"/> leaves out the deliveries
/// that trigger them unless told to deliver them, so the main property stays green while each bug keeps a skipped,
/// failing test in <see cref="DecisionPropertyTests"/>. When one is fixed, its test is un-skipped and its flag and the
/// avoidance in <see cref="ScenarioReplay"/> go.
/// </summary>
[Flags]
public enum KnownBug
{
    None = 0,

    All = None,
}
