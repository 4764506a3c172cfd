#!/usr/bin/env node
// Baseline: ccxt.pro's upbit WebSocket message path on every frame of a capture, offline.
//
// Usage: node ccxt_upbit.mjs FILE [--passes N] [--limit FRAMES] [--markets FIXTURE.json]
//
// FILE is a JSONL capture ({"recv_ts", "frame"} per line) or a binary recording (UPBTREC header). Before timing
// (not timed): frames are read into Buffers, as the `ws` package hands ccxt a binary frame; SIMPLE-format frames
// are rewritten with DEFAULT keys (ccxt subscribes in DEFAULT format and reads only DEFAULT keys; the rewrite
// renames keys in the text and keeps every number's spelling); markets come from a local fixture in
// /v1/market/all shape (plus any market code the capture has that the fixture lacks) through setMarkets, never
// loadMarkets; each symbol gets the empty order book the SNAPSHOT at subscription would create.
//
// Timed: for every frame, in order, `client.onMessage({ data: buffer })` on ccxt's own WsClient for the upbit URL
// (never connected) -- exactly what ccxt's delivery loop calls per received message: Buffer -> string, its
// big-integer quoting regex, JSON.parse, then upbit.handleMessage -> handleTrades / handleOrderBook / handleTicker
// (parse into ccxt structures, trade cache append, order book store, client.resolve). One warm-up pass, then N
// timed passes, each timed by the wall clock and by the process's CPU time. A separate JSON.parse-only timing over
// the same buffers is reported for the split.
// Prints one JSON object on stdout.

import { readFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ccxt from 'ccxt';

const here = dirname(fileURLToPath(import.meta.url));

function usage(message) {
    process.stderr.write(`ccxt_upbit.mjs: ${message}\nusage: node ccxt_upbit.mjs FILE [--passes N] [--limit FRAMES] [--markets FIXTURE.json]\n`);
    process.exit(2);
}

function parseArgs(argv) {
    const args = { file: undefined, passes: 5, limit: undefined, markets: join(here, 'fixtures', 'upbit-markets.json') };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === '--passes' || a === '--limit' || a === '--markets') {
            const v = argv[++i];
            if (v === undefined) {
                usage(`${a} needs a value`);
            }
            if (a === '--markets') {
                args.markets = v;
            } else {
                const n = Number.parseInt(v, 10);
                if (!(n >= 1)) {
                    usage(`${a} must be at least 1`);
                }
                args[a.slice(2)] = n;
            }
        } else if (a === '--help' || a === '-h') {
            usage('help');
        } else if (args.file === undefined) {
            args.file = a;
        } else {
            usage(`unexpected argument ${a}`);
        }
    }
    if (args.file === undefined) {
        usage('FILE is required');
    }
    return args;
}

/** Exact frame bytes from a JSONL capture or a recording. */
function readFrames(path, limit) {
    const data = readFileSync(path);
    const frames = [];
    if (data.length >= 8 && data.subarray(0, 8).toString('latin1') === 'UPBTREC\0') {
        const version = data.readInt32LE(8);
        if (version !== 1) {
            usage(`recording version ${version} is not supported`);
        }
        let pos = 20;
        while (pos + 13 <= data.length && (limit === undefined || frames.length < limit)) {
            const length = data.readInt32LE(pos + 9);
            const end = pos + 13 + length + 4;
            if (length < 0 || end > data.length) {
                break; // torn tail (the CRC is checked by the engine's reader; not re-checked here)
            }
            frames.push(Buffer.from(data.subarray(pos + 13, pos + 13 + length)));
            pos = end;
        }
        return frames;
    }
    let start = 0;
    while (start < data.length && (limit === undefined || frames.length < limit)) {
        let end = data.indexOf(10, start);
        if (end < 0) {
            end = data.length;
        }
        const line = data.subarray(start, end).toString('utf8').trim();
        start = end + 1;
        if (line.length > 0) {
            frames.push(Buffer.from(JSON.parse(line).frame, 'utf8'));
        }
    }
    return frames;
}

// Upbit's SIMPLE abbreviations of the public types (trade, orderbook and its units, ticker) -> DEFAULT keys.
const DEFAULT_KEYS = {
    ty: 'type', cd: 'code', tms: 'timestamp', st: 'stream_type',
    // trade
    td: 'trade_date', ttm: 'trade_time', ttms: 'trade_timestamp', tp: 'trade_price', tv: 'trade_volume', ab: 'ask_bid',
    pcp: 'prev_closing_price', c: 'change', cp: 'change_price', sid: 'sequential_id',
    bap: 'best_ask_price', bas: 'best_ask_size', bbp: 'best_bid_price', bbs: 'best_bid_size',
    // orderbook
    tas: 'total_ask_size', tbs: 'total_bid_size', obu: 'orderbook_units', lv: 'level',
    ap: 'ask_price', bp: 'bid_price', as: 'ask_size', bs: 'bid_size',
    // ticker
    op: 'opening_price', hp: 'high_price', lp: 'low_price', scp: 'signed_change_price', cr: 'change_rate',
    scr: 'signed_change_rate', atv: 'acc_trade_volume', atv24h: 'acc_trade_volume_24h', atp: 'acc_trade_price',
    atp24h: 'acc_trade_price_24h', tdt: 'trade_date', aav: 'acc_ask_volume', abv: 'acc_bid_volume',
    h52wp: 'highest_52_week_price', h52wdt: 'highest_52_week_date', l52wp: 'lowest_52_week_price',
    l52wdt: 'lowest_52_week_date', ts: 'trade_status', ms: 'market_state', msfi: 'market_state_for_ios',
    its: 'is_trading_suspended', dd: 'delisting_date', mw: 'market_warning',
};

/** A SIMPLE frame's text with DEFAULT keys (numbers and string values untouched); other frames as they are. */
function toDefault(buffer) {
    const text = buffer.toString('utf8');
    if (!text.startsWith('{"ty":')) {
        return { buffer, converted: false };
    }
    // Keys are the only `"name":` tokens in Upbit's public frames (string values are codes, dates and enums).
    const renamed = text.replace(/"([a-z0-9]+)":/g, (m, key) => (key in DEFAULT_KEYS ? `"${DEFAULT_KEYS[key]}":` : m));
    return { buffer: Buffer.from(renamed, 'utf8'), converted: true };
}

function median(values) {
    const s = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const mid = s.length >> 1;
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2n;
}

function main() {
    const args = parseArgs(process.argv.slice(2));
    const raw = readFrames(args.file, args.limit);
    if (raw.length === 0) {
        usage(`no frames in ${args.file}`);
    }
    let converted = 0;
    const frames = raw.map((b) => {
        const r = toDefault(b);
        converted += r.converted ? 1 : 0;
        return r.buffer;
    });

    // Markets from the fixture (setMarkets, no network), plus codes only the capture has.
    const exchange = new ccxt.pro.upbit({});
    const fixture = JSON.parse(readFileSync(resolve(args.markets), 'utf8'));
    const known = new Set(fixture.map((m) => m.market));
    const kinds = {};
    let added = 0;
    for (const b of frames) {
        let msg;
        try {
            msg = JSON.parse(b.toString('utf8'));
        } catch {
            kinds.not_json = (kinds.not_json ?? 0) + 1;
            continue;
        }
        const kind = (msg && typeof msg === 'object' && msg.type) || 'other';
        kinds[kind] = (kinds[kind] ?? 0) + 1;
        const code = msg && msg.code;
        if (typeof code === 'string' && code.includes('-') && !known.has(code)) {
            known.add(code);
            const base = code.split('-')[1];
            fixture.push({ market: code, korean_name: base, english_name: base, market_warning: 'NONE' });
            added++;
        }
    }
    exchange.setMarkets(exchange.parseMarkets(fixture));
    for (const symbol of exchange.symbols) {
        exchange.orderbooks[symbol] = exchange.orderBook({}, 15); // what the subscription's SNAPSHOT creates
    }
    const url = exchange.implodeParams(exchange.urls.api.ws, { hostname: exchange.hostname });
    const client = exchange.client(url); // created, never connected

    // Validation pass (not timed): the handlers run without throwing on every frame. ccxt's onMessage swallows a
    // handler's exception (client.reject), which would make a broken run look fast.
    let failures = 0;
    let firstFailure;
    for (const b of frames) {
        try {
            exchange.handleMessage(client, JSON.parse(b.toString('utf8')));
        } catch (e) {
            failures++;
            firstFailure ??= String(e && e.message ? e.message : e);
        }
    }
    if (failures > 0) {
        process.stderr.write(`ccxt_upbit.mjs: ${failures} frames made ccxt's handler throw, e.g. ${firstFailure}\n`);
        process.exit(1);
    }

    const loadBefore = loadavg();
    const cpuTotals = [];
    const onePass = () => {
        const cpu = process.cpuUsage();
        const start = process.hrtime.bigint();
        for (let i = 0; i < frames.length; i++) {
            client.onMessage({ data: frames[i] });
        }
        const wall = process.hrtime.bigint() - start;
        const used = process.cpuUsage(cpu);
        cpuTotals.push((used.user + used.system) * 1000);
        return wall;
    };
    const parsePass = () => {
        let sink = 0;
        const start = process.hrtime.bigint();
        for (let i = 0; i < frames.length; i++) {
            sink += JSON.parse(frames[i].toString()) === null ? 1 : 0;
        }
        const t = process.hrtime.bigint() - start;
        return sink < 0 ? 0n : t;
    };

    const warmup = onePass();
    cpuTotals.length = 0;
    const totals = [];
    for (let p = 0; p < args.passes; p++) {
        totals.push(onePass());
    }
    parsePass();
    const parseTotals = [];
    for (let p = 0; p < args.passes; p++) {
        parseTotals.push(parsePass());
    }

    const n = frames.length;
    const best = totals.reduce((a, b) => (b < a ? b : a));
    const med = median(totals);
    const parseBest = parseTotals.reduce((a, b) => (b < a ? b : a));
    const bytes = frames.reduce((s, b) => s + b.length, 0);
    const rawBytes = raw.reduce((s, b) => s + b.length, 0);
    const ccxtPackage = JSON.parse(readFileSync(join(here, 'node_modules', 'ccxt', 'package.json'), 'utf8'));
    const sample = exchange.symbols.find((s) => exchange.orderbooks[s].bids.length > 0);
    const result = {
        baseline: 'ccxt.pro-upbit',
        what: 'WsClient.onMessage({data: Buffer}) per frame: Buffer->string, ccxt big-integer regex, JSON.parse, upbit.handleMessage (trades cache, order book store, tickers, client.resolve with no waiter)',
        file: resolve(args.file),
        frames: n,
        bytes_as_captured: rawBytes,
        bytes_as_fed: bytes,
        mean_frame_bytes_as_fed: Math.round((bytes / n) * 10) / 10,
        simple_frames_rewritten_to_default_keys: converted,
        mix: kinds,
        markets: exchange.symbols.length,
        markets_added_from_capture: added,
        passes: args.passes,
        warmup_total_ns: Number(warmup),
        min_total_ns: Number(best),
        median_total_ns: Number(med),
        all_totals_ns: totals.map(Number),
        ns_per_frame_min: Math.round((Number(best) / n) * 10) / 10,
        ns_per_frame_median: Math.round((Number(med) / n) * 10) / 10,
        frames_per_s_min_time: Math.round((n * 1e9) / Number(best)),
        frames_per_s_median_time: Math.round((n * 1e9) / Number(med)),
        cpu: {
            what: 'process CPU time (user+system, all threads: GC and JIT helpers included) of the same passes: less sensitive than wall time to other load on the machine',
            all_totals_ns: cpuTotals,
            min_total_ns: Math.min(...cpuTotals),
            ns_per_frame_min: Math.round((Math.min(...cpuTotals) / n) * 10) / 10,
            frames_per_s: Math.round((n * 1e9) / Math.min(...cpuTotals)),
        },
        json_parse_only: {
            what: 'Buffer->string + JSON.parse per frame, same buffers',
            min_total_ns: Number(parseBest),
            ns_per_frame_min: Math.round((Number(parseBest) / n) * 10) / 10,
        },
        sanity: {
            symbols_with_trades: Object.keys(exchange.trades).length,
            tickers: Object.keys(exchange.tickers).length,
            order_book_sample: sample ? { symbol: sample, best_bid: exchange.orderbooks[sample].bids[0], best_ask: exchange.orderbooks[sample].asks[0] } : null,
        },
        ccxt: ccxtPackage.version,
        ccxt_reported_version: ccxt.version,
        node: process.version,
        v8: process.versions.v8,
        machine: {
            cpu: cpus()[0]?.model,
            cores: cpus().length,
            os: `${platform()} ${release()}`,
            loadavg_before: loadBefore,
            loadavg: loadavg(),
        },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

main();
