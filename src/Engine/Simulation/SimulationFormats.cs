namespace UpbitHft.Engine.Simulation;

/// <summary>Which of Upbit's key spellings the simulated frames use.</summary>
public enum SimulationFormat
{
    /// <summary>Short keys (<c>ty</c>, <c>cd</c>, <c>obu</c> …): what the engine subscribes with.</summary>
    Simple,

    /// <summary>Long keys (<c>type</c>, <c>code</c>, <c>orderbook_units</c> …): Upbit's default, what most clients (ccxt) subscribe with.</summary>
    Default,
}

/// <summary>How the simulated frames spell their numbers (and which fields a trade carries).</summary>
public enum SimulationSpelling
{
    /// <summary>
    /// The bundled sample session's: one fixed spelling (<c>126.0</c>, <c>0.85453452</c>), trades without the best
    /// bid/ask fields — what <c>data/sample-session.jsonl</c> was made with.
    /// </summary>
    Sample,

    /// <summary>
    /// Spellings as the real captures show them: Java-style doubles (<c>1.16539E8</c>, <c>7.9276E-4</c>, <c>5.0E-4</c>,
    /// <c>41.4</c>), 8-decimal fixed text (<c>123.00000000</c>) for some markets' previous close and change, whole
    /// prices without a fraction in SIMPLE books (<c>116606000</c>), and trades with the <c>best_ask_price</c> …
    /// <c>best_bid_size</c> fields of Upbit's current trade stream.
    /// </summary>
    Wire,
}
