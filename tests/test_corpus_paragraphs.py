"""Joining hard-wrapped lines into paragraphs, and telling the two gazette layouts apart."""

from __future__ import annotations

from corpus.paragraphs import Line, clean_lines, to_paragraphs, wrap_width

WIDTH = 44  # 22 Chinese characters


def paragraphs(*lines: str, width: int | None = WIDTH) -> list[str]:
    return [p.text for p in to_paragraphs([Line(text, n) for n, text in enumerate(lines, 1)], width)]


def test_full_lines_continue_and_a_short_line_ends_the_paragraph():
    assert paragraphs("为深入贯彻落实习近平总书记关于推动乡村人才振", "兴的重要指示精神，特制定本方案。", "一、指导思想") == [
        "为深入贯彻落实习近平总书记关于推动乡村人才振兴的重要指示精神，特制定本方案。", "一、指导思想"]


def test_a_line_squeezed_by_punctuation_still_continues_mid_sentence():
    assert paragraphs("（一）协助分管工作。根据工作需要，协助领", "导班子成员管理某一方面工作。") == [
        "（一）协助分管工作。根据工作需要，协助领导班子成员管理某一方面工作。"]


def test_a_full_line_ending_a_sentence_before_a_label_ends_the_paragraph():
    assert paragraphs("有效衔接的关键之年。做好今年乡村振兴工作。", "（一）加强常态化防止返贫动态监测和帮扶。") == [
        "有效衔接的关键之年。做好今年乡村振兴工作。", "（一）加强常态化防止返贫动态监测和帮扶。"]


def test_headings_titles_colons_and_articles_stand_alone():
    assert paragraphs("一、加强组织领导切实落实各级责任确保全面完成", "（一）建立工作专班。") == [
        "一、加强组织领导切实落实各级责任确保全面完成", "（一）建立工作专班。"]
    assert paragraphs("2023年泸溪县安全生产攻坚年活动实施方案", "为贯彻落实习近平总书记关于安全生产方面工作") == [
        "2023年泸溪县安全生产攻坚年活动实施方案", "为贯彻落实习近平总书记关于安全生产方面工作"]
    assert paragraphs("各乡镇人民政府，县政府各局办，县直相关单位：", "县人民政府决定：") == [
        "各乡镇人民政府，县政府各局办，县直相关单位：", "县人民政府决定："]
    assert paragraphs("2022-2023年度泸溪县特困人员医疗救助实施", "第二条 特困人员医疗救助应当遵循以下原则：")[1].startswith("第二条")


def test_attachment_list_items_split_but_wrapped_names_join():
    assert paragraphs("附件：1.乡镇人民政府 2023年主要工作目标管理", "共性目标量化考核计分表", "2.县直单位 2023年主要工作目标管理共性目",
                      "标量化考核计分表") == [
        "附件：1.乡镇人民政府 2023年主要工作目标管理共性目标量化考核计分表", "2.县直单位 2023年主要工作目标管理共性目标量化考核计分表"]


def test_one_paragraph_per_line_joins_only_page_broken_sentences():
    assert paragraphs("3. 方法路径。把握清廉泸溪建设的阶段性特征,坚持守正与创新相结合,在解决实际问题上出", "实招、见实效。",
                      "(三)突出防控结合,强化灾害治理", "建立健全森林防火工作标准体系。", width=None) == [
        "3. 方法路径。把握清廉泸溪建设的阶段性特征,坚持守正与创新相结合,在解决实际问题上出实招、见实效。",
        "(三)突出防控结合,强化灾害治理", "建立健全森林防火工作标准体系。"]


def test_layout_detection():
    wrapped = "\n\n".join(["为深入贯彻落实习近平总书记关于推动乡村，人才"] * 30)
    per_line = "\n\n".join(f"第{i}段，" + "内容" * (i % 40 + 1) + "。" for i in range(40))
    assert wrap_width(clean_lines(wrapped)) == WIDTH
    assert wrap_width(clean_lines(per_line)) is None
