def test_login_page_has_username_field(page, live_server):
    page.goto(live_server.url + "/login/")
    assert 'name="username"' in page.content()
    assert page.locator("input[name=username]").count() == 1
