//! The word lists the corpus generator draws from: English function and news words (the head of the
//! Zipf distribution, its tail filled with made-up words built from syllables), Chinese words, and
//! Japanese words and particles. Written here, not taken from any corpus.

/// The most frequent English words, most frequent first.
pub const FUNCTION: &str = "the of and to a in that is for it was on with as he be by at from his have \
    are not this but had they which or an were has their one been would will its all there who more \
    when also about than up can said out into other them some we what only her if could over new after \
    two first year years may people she most time so these like before such many last since against \
    while between through both then where under three during because any made how those our now just \
    very even still well back much second own last week month day";

/// Words of news writing, next in frequency.
pub const NEWS: &str = "government market company report minister percent million billion president \
    country state police court election party city world group bank money workers price prices growth \
    economy business industry energy oil gas power health hospital school children police officials \
    spokesman statement chief executive board shares investors profit revenue sales quarter data users \
    service services network technology software computer phone mobile internet online digital cloud \
    chip chips factory production supply demand trade exports imports tariff tariffs deal talks agreement \
    vote voters campaign leader leaders opposition council parliament law laws rules plan plans policy \
    budget tax taxes debt interest rates inflation jobs unemployment wages housing homes rent property \
    climate weather storm flood drought farmers food water river coast island border security military \
    army troops war peace attack attacks crisis emergency fire rescue crash train airport flights airline \
    transport road roads car cars electric battery batteries vehicle vehicles engine research scientists \
    study university students teachers education film music album festival award team match season \
    players coach club league cup final goal goals win victory defeat record fans stadium league \
    museum artist book books author television broadcast radio newspaper media journalist editor \
    launch launched announced expected according reported told added including however despite among \
    across around within without several former local national international foreign public private \
    major small large high low early late next previous recent annual global regional rural urban \
    broadband gadget console game games video satellite space rocket mission lunar solar wind nuclear \
    reactor grid coal steel copper gold mining shipping port ports container retail shops consumers \
    customers brand brands advertising platform platforms startup startups venture funding valuation \
    merger acquisition lawsuit judge ruling appeal prison sentence investigation inquiry scandal fraud \
    regulator regulators competition antitrust privacy surveillance hackers breach outage outages";

/// Phrases that stand together in the text, so that phrase queries find them.
pub const COLLOCATIONS: &[&str] = &[
    "prime minister",
    "interest rates",
    "supply chain",
    "central bank",
    "chief executive",
    "climate change",
    "stock market",
    "artificial intelligence",
    "world cup",
    "trade deal",
    "health service",
    "data centre",
];

/// Syllables of the made-up words of the long tail.
pub const SYLLABLES: &[&str] = &[
    "ba", "be", "bi", "bo", "ca", "ce", "co", "da", "de", "di", "do", "fa", "fe", "fi", "ga", "ge",
    "go", "ha", "he", "hi", "ka", "ke", "ki", "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo",
    "na", "ne", "ni", "no", "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "ru", "sa", "se", "si",
    "so", "ta", "te", "ti", "to", "tu", "va", "ve", "vi", "wa", "we", "za", "ar", "en", "in", "on",
    "or", "er", "an", "ul", "st", "tr", "nd", "rk",
];

/// Chinese words of news writing.
pub const CHINESE: &str = "的 了 在 是 和 有 也 对 将 与 公司 市场 政府 经济 发展 技术 企业 国家 城市 \
    人工智能 芯片 云计算 数据 平台 用户 投资 增长 收入 利润 季度 银行 金融 政策 监管 出口 进口 贸易 \
    产业 制造 能源 电动 汽车 电池 手机 网络 服务 科技 创新 研发 资本 上市 股价 投资者 消费者 价格 \
    供应链 半导体 工厂 生产 需求 规模 亿元 万元 同比 环比 报告 数据显示 表示 认为 预计 宣布 推出 \
    计划 合作 竞争 战略 领域 行业 未来 目前 今年 去年 全球 中国 美国 日本 欧洲 北京 上海 深圳 杭州";

/// Japanese nouns of news writing.
pub const JAPANESE_NOUNS: &str = "政府 経済 市場 企業 会社 東京 大阪 日本 技術 開発 半導体 電気自動車 \
    電池 人工知能 データ 投資 株価 売上高 営業利益 円安 物価 賃金 雇用 首相 国会 選挙 政策 予算 税金 \
    銀行 金融 輸出 輸入 貿易 工場 生産 需要 供給 消費者 価格 計画 発表 調査 研究 大学 学生 病院 医療 \
    地震 台風 気候 エネルギー 原子力 再生可能 鉄道 空港 観光 サービス 利用者 スマートフォン ネット";

/// Japanese particles that join the nouns.
pub const JAPANESE_PARTICLES: &[&str] = &[
    "の", "は", "が", "を", "に", "で", "と", "も", "から", "まで",
];

/// Japanese sentence endings.
pub const JAPANESE_ENDINGS: &[&str] = &[
    "しました",
    "です",
    "と発表した",
    "を明らかにした",
    "が見込まれる",
    "となった",
    "している",
    "する方針だ",
];

/// Where the articles come from, by language: (name, host).
pub const SOURCES_EN: &[(&str, &str)] = &[
    ("Meridian Wire", "meridian-wire"),
    ("Harbour Post", "harbour-post"),
    ("The Ledger", "the-ledger"),
    ("Northfield Times", "northfield-times"),
    ("Capital Review", "capital-review"),
    ("Pacific Daily", "pacific-daily"),
    ("Tech Dispatch", "tech-dispatch"),
    ("Evening Standard Wire", "evening-wire"),
];
pub const SOURCES_ZH: &[(&str, &str)] = &[
    ("Huaxia Business", "huaxia-business"),
    ("Nanfang Tech", "nanfang-tech"),
];
pub const SOURCES_JA: &[(&str, &str)] = &[
    ("Tokyo Keizai Wire", "tokyo-keizai"),
    ("Kansai Shimbun", "kansai-shimbun"),
];

pub const AUTHORS: &[&str] = &[
    "Ana Ribeiro",
    "Tom Okafor",
    "Mei Lin",
    "Yuki Sato",
    "Priya Nair",
    "Jonas Berg",
    "Sara Haddad",
    "Liam Walsh",
    "Chen Wei",
    "Hana Kobayashi",
    "Marco Rossi",
    "Ines Duarte",
];

/// Tags of the generated annotations: the shipped vocabulary and a few more.
pub const TAGS: &[&str] = &[
    "spin-off",
    "chip-restrictions",
    "copilot-losses",
    "profit-jump",
    "outage",
    "org-restructuring",
    "ai-compute",
    "market-outlook",
    "energy-prices",
    "labour-market",
];
