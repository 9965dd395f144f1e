"""Small hand-built documents for the index and search tests (no tests here): clauses with known answers."""

from corpus.model import Citation, Clause, Document, Unit, clause_id_for, doc_id_for


def make_doc(doc_number, title, doc_type, offices, date, clauses, cites=()):
    doc_id = doc_id_for(doc_number, title, date)
    taken: set[str] = set()
    built = []
    for path, text, units in clauses:
        built.append(Clause(
            id=clause_id_for(doc_id, path, taken), label=path[-1], path=list(path), text=text,
            lead_units=units[:1], main_units=units[1:],
            units=[Unit(name=u, role="lead" if i == 0 else "main", as_written=u) for i, u in enumerate(units)],
        ))
    return Document(
        id=doc_id, title=title, doc_number=doc_number, offices=list(offices), doc_type=doc_type, date=date,
        text="\n".join(c.text for c in built), source="hand-built.txt",
        cites=[Citation(doc_number=n) for n in cites], clauses=built,
    )


def hand_documents():
    return [
        make_doc("泸发〔2021〕24号", "关于推进清廉泸溪建设的意见", "意见", ["中共泸溪县委"], "2021-11-12", [
            (["五、"], "五、以清廉单元建设推动清廉泸溪全面发展", []),
            (["五、", "16."], "16.建设清廉机关。深化模范机关创建。（牵头单位：县纪委监委；主要责任单位：县委办公室）",
             ["县纪委监委", "县委办公室"]),
            (["五、", "17."], "17.建设清廉企业。推动国有企业完善现代企业制度。（牵头单位：县财政局）", ["县财政局"]),
            (["五、", "18."], "18.建设清廉学校。加强学校思想文化阵地建设，把清廉文化教育融入教育教学全过程。"
             "（牵头单位：县教体局；主要责任单位：县纪委监委、县委组织部）", ["县教体局", "县纪委监委", "县委组织部"]),
        ]),
        make_doc("泸政办函〔2021〕72号", "关于全面推行林长制的实施意见", "意见", ["泸溪县人民政府办公室"], "2021-06-01", [
            (["一、"], "一、全面建立县乡村三级林长制体系，由县林业局牵头。", ["县林业局"]),
            (["二、"], "二、落实《关于推进清廉泸溪建设的意见》（泸发〔2021〕24号）要求，县财政局保障经费。", ["县财政局"]),
        ], cites=["泸发〔2021〕24号"]),
        make_doc("泸办发〔2023〕3号", "关于做好2023年春节期间安全生产工作的通知", "通知",
                 ["中共泸溪县委办公室", "泸溪县人民政府办公室"], "2023-01-10", [
            (["一、"], "一、小区未成立业主委员会的，公共区域水费由物业服务企业先行承担。", ["县住建局"]),
            (["二、"], "二、加强烟花爆竹安全监管，严禁<script>在城区燃放。", ["县应急管理局", "县公安局"]),
            (["三、"], "三、ＡＢＣ１２３号仓库须于2023年6月底前完成整改，地址：泸\n溪县武溪镇。", ["县应急管理局"]),
        ]),
    ]
