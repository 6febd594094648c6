from statements.markdown import blocks, replace_block


def test_replacing_a_list_keeps_the_blank_line_to_the_next_block():
    source = "P1\n\n- a\n- b\n\nP2\n"
    block = next(b for b in blocks(source) if b.kind == "bullet_list")
    assert replace_block(source, block.id, "Neu.") == "P1\n\nNeu.\n\nP2\n"


def test_block_ids_do_not_change_when_only_trailing_blank_lines_move():
    before = {b.id for b in blocks("P1\n\n- a\n- b\n\nP2\n")}
    after = {b.id for b in blocks("P1\n\n- a\n- b\n\n\n\nP2\n")}
    assert before == after
