namespace UpbitHft.Engine.Simulation;

/// <summary>
/// The KRW markets <see cref="SessionSimulator"/> draws from, busiest first, each with a starting price in KRW.
/// The codes are Upbit KRW market codes; the prices are round, plausible levels (not quotes), spread over every band
/// of the KRW tick table — from 1,000-KRW ticks down to sub-won coins priced in 10⁻⁷ steps — so the simulated frames
/// carry the whole range of number spellings. The first 20 are the bundled sample session's: their order and prices
/// must not change (the sample is reproduced byte for byte from them).
/// </summary>
internal static class SimulatedMarkets
{
    /// <summary>Every market, in the order <c>--markets N</c> takes the first N.</summary>
    public static readonly (string Code, decimal Price)[] All =
    [
        // The sample session's universe (data/sample-session.jsonl): keep as is.
        ("KRW-BTC", 140_000_000m), ("KRW-ETH", 5_000_000m), ("KRW-XRP", 3_050m), ("KRW-SOL", 251_000m), ("KRW-DOGE", 512m),
        ("KRW-ADA", 1_210m), ("KRW-AVAX", 52_300m), ("KRW-DOT", 10_120m), ("KRW-LINK", 31_450m), ("KRW-TRX", 355m),
        ("KRW-ETC", 41_800m), ("KRW-BCH", 690_000m), ("KRW-NEAR", 7_420m), ("KRW-APT", 13_650m), ("KRW-ATOM", 9_870m),
        ("KRW-SAND", 801m), ("KRW-SUI", 5_230m), ("KRW-HBAR", 402m), ("KRW-STX", 3_115m), ("KRW-ARB", 1_085m),

        // The rest of an all-market stream.
        ("KRW-USDT", 1_398m), ("KRW-SHIB", 0.0185m), ("KRW-PEPE", 0.0142m), ("KRW-XLM", 412m), ("KRW-ENA", 893m),
        ("KRW-ONDO", 1_342m), ("KRW-SEI", 421m), ("KRW-POL", 331m), ("KRW-AAVE", 371_500m), ("KRW-UNI", 11_830m),
        ("KRW-WLD", 1_655m), ("KRW-BONK", 0.0335m), ("KRW-BTT", 0.00118m), ("KRW-XEC", 0.0312m), ("KRW-TAO", 561_000m),
        ("KRW-MANA", 421m), ("KRW-AXS", 3_905m), ("KRW-THETA", 1_152m), ("KRW-IOTA", 271m), ("KRW-VET", 34.5m),
        ("KRW-ALGO", 291m), ("KRW-EOS", 1_052m), ("KRW-NEO", 9_120m), ("KRW-QTUM", 3_350m), ("KRW-ICX", 181m),
        ("KRW-ZIL", 18.9m), ("KRW-ONT", 232m), ("KRW-BAT", 241m), ("KRW-ENJ", 105m), ("KRW-CHZ", 58.7m),
        ("KRW-FLOW", 562m), ("KRW-GRT", 125m), ("KRW-IMX", 782m), ("KRW-MINA", 271m), ("KRW-KAVA", 563m),
        ("KRW-EGLD", 21_550m), ("KRW-ZRX", 331m), ("KRW-1INCH", 341m), ("KRW-CRO", 155m), ("KRW-STORJ", 412m),
        ("KRW-ANKR", 26.4m), ("KRW-BLUR", 140m), ("KRW-MASK", 1_752m), ("KRW-ASTR", 38.2m), ("KRW-GMT", 75.1m),
        ("KRW-ID", 231m), ("KRW-JST", 45.3m), ("KRW-BORA", 95.4m), ("KRW-MED", 9.87m), ("KRW-MLK", 212m),
        ("KRW-HUNT", 381m), ("KRW-PLA", 182m), ("KRW-SXP", 262m), ("KRW-WAXP", 39.5m), ("KRW-HIVE", 331m),
        ("KRW-STEEM", 245m), ("KRW-ARK", 621m), ("KRW-ARDR", 128m), ("KRW-STPT", 120m), ("KRW-ORBS", 31.2m),
        ("KRW-MOC", 98.5m), ("KRW-TFUEL", 58.2m), ("KRW-AERGO", 161m), ("KRW-TT", 4.12m), ("KRW-CRE", 7.85m),
        ("KRW-MBL", 3.41m), ("KRW-MVL", 5.92m), ("KRW-AQT", 1_452m), ("KRW-GLM", 391m), ("KRW-META", 62.3m),
        ("KRW-FCT2", 17.8m), ("KRW-CBK", 1_021m), ("KRW-XTZ", 1_105m), ("KRW-T", 31.7m), ("KRW-CTC", 712m),
        ("KRW-CKB", 9.54m), ("KRW-GAS", 4_310m), ("KRW-ELF", 421m), ("KRW-KNC", 612m), ("KRW-QKC", 11.3m),
        ("KRW-SC", 5.71m), ("KRW-LSK", 1_253m), ("KRW-POWR", 262m), ("KRW-SNT", 38.1m), ("KRW-MTL", 1_182m),
        ("KRW-GRS", 561m), ("KRW-SBD", 1_051m), ("KRW-POLYX", 301m), ("KRW-AUCTION", 12_150m), ("KRW-JUP", 712m),
        ("KRW-PYTH", 182m), ("KRW-STRK", 181m), ("KRW-ZRO", 3_410m), ("KRW-IO", 1_105m), ("KRW-PENGU", 18.4m),
        ("KRW-MOVE", 152m), ("KRW-ME", 1_210m), ("KRW-VIRTUAL", 1_530m), ("KRW-LAYER", 880m), ("KRW-TRUMP", 13_250m),
        ("KRW-KAITO", 1_610m), ("KRW-BERA", 4_120m), ("KRW-USDC", 1_399m), ("KRW-ZETA", 312m), ("KRW-W", 121m),
        ("KRW-BLAST", 3.12m), ("KRW-G", 15.6m), ("KRW-ATH", 51.2m), ("KRW-ARKM", 712m), ("KRW-HP", 142m),
        ("KRW-BIGTIME", 89.4m), ("KRW-CELO", 412m), ("KRW-AKT", 1_820m), ("KRW-ANIME", 31.5m), ("KRW-SOPH", 61.3m),
        ("KRW-COMP", 62_350m), ("KRW-ETHFI", 1_650m), ("KRW-PUNDIX", 412m), ("KRW-GAME2", 12.4m), ("KRW-RVN", 18.1m),
        ("KRW-COW", 512m), ("KRW-ORCA", 3_150m), ("KRW-SAFE", 612m), ("KRW-OM", 312m), ("KRW-XEM", 3.71m),
        ("KRW-WAVES", 1_312m), ("KRW-QTCON", 2.41m), ("KRW-LPT", 9_120m), ("KRW-ENS", 31_200m), ("KRW-INJ", 18_450m),
        ("KRW-ALT", 41.5m), ("KRW-NEIRO", 0.6412m), ("KRW-MEW", 4.52m), ("KRW-DRIFT", 712m), ("KRW-AVAIL", 42.3m),
        ("KRW-UXLINK", 412m), ("KRW-AGLD", 1_210m), ("KRW-ZK", 91.2m), ("KRW-SONIC", 312m), ("KRW-RENDER", 5_120m),
        ("KRW-FIL", 3_710m), ("KRW-ICP", 7_230m), ("KRW-KSM", 21_450m), ("KRW-ARPA", 31.4m), ("KRW-DEEP", 181m),
    ];
}
