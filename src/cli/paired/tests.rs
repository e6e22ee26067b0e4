use unicode_width::UnicodeWidthStr;

use super::*;
use crate::translation::Role;

const ORIGINAL: &str = "+++\ntitle = \"阿里云取消分拆上市\"\nlanguage = \"zh\"\n+++\n\n\
阿里巴巴集团宣布，不再推进阿里云的完全分拆。\n\n\
公司表示，美国扩大对先进计算芯片的出口限制，给云业务带来了不确定性。这些限制可能影响其提供计算租赁服务和升级技术的能力，因此分拆未必能提升股东价值。\n\n\
分析人士认为，人工智能的算力需求仍在上升。\n";

const TRANSLATION: &str = "+++\ntitle = \"Alibaba Cloud calls off its spin-off\"\ntranslation_of = \"zh/aliyun\"\n+++\n\n\
Alibaba Group said it will no longer pursue the full spin-off of Alibaba Cloud.\n\n\
The company said the expanded US restrictions on exports of advanced computing chips have created uncertainty for the cloud business.\n\n\
These restrictions may affect its ability to offer computing rental services and to upgrade its technology, so a spin-off might not raise shareholder value.\n\n\
Analysts believe that demand for AI computing power is still rising.\n";

fn pair() -> Pair {
    let en = Article::parse("aliyun", TRANSLATION).unwrap().0;
    let zh = Article::parse("zh/aliyun", ORIGINAL).unwrap().0;
    Pair::new(en, zh, Role::Original)
}

#[test]
fn two_columns_line_up_by_display_width() {
    for columns in [80, 120] {
        let out = render(&pair(), Some(columns), columns);
        let gutter = (columns - 3) / 2;
        for line in out.lines() {
            assert!(line.width() <= columns, "{columns}: {line:?}");
            // Every line has the gutter at the same display column.
            let at = line.find(['│', '┼']).unwrap_or_else(|| panic!("{line:?}"));
            assert_eq!(line[..at].width(), gutter + 1, "{columns}: {line:?}");
        }
        // The original's second paragraph sits level with the translation's second and third.
        let row = out
            .lines()
            .position(|l| l.starts_with("The company"))
            .unwrap();
        assert!(out.lines().nth(row).unwrap().contains("公司表示"), "{out}");
        let third = out.lines().position(|l| l.starts_with("These")).unwrap();
        let last_zh = out.lines().position(|l| l.contains("分析人士")).unwrap();
        assert!(third < last_zh, "{out}");
        assert!(out.contains("zh/aliyun · zh · original"), "{out}");
    }
}

#[test]
fn two_columns_at_80_read_as_expected() {
    let out = render(&pair(), Some(80), 80);
    insta::assert_snapshot!(out);
}

#[test]
fn piped_or_narrow_prints_one_after_the_other() {
    for (columns, width) in [(None, 80), (Some(40), 40)] {
        let out = render(&pair(), columns, width);
        assert!(!out.contains('│'), "{out}");
        assert!(out.contains("── 2/3 · aliyun ──"), "{out}");
        assert!(out.contains("── 2/3 · zh/aliyun (original) ──"), "{out}");
        for line in out.lines() {
            assert!(line.width() <= width, "{line:?}");
        }
        let label = out.find("── 2/3 · zh/aliyun").unwrap();
        let rest = &out[label..];
        assert!(
            rest.contains("公司表示") && !rest.starts_with("── 3/3"),
            "{out}"
        );
    }
}
