-- The preset flows now write their words through the `t` filter (catalogue messages in the
-- message's language). A shop's preset that the merchant never edited takes the new template;
-- an edited one is the merchant's own text and stays as it is.
UPDATE "Flow" SET "subject" = $tl${{ 'thank_you.subject' | t: order: order.name }}$tl$, "body" = $tl${{ 'email.greeting' | t: name: customer.first_name }}

{{ 'thank_you.confirmed' | t: shop: shop.name, order: order.name }}

{{ 'thank_you.next' | t }}$tl$
WHERE "key" = $tl$thank_you$tl$ AND "subject" = $tl$Thank you for your order {{ order.name }}$tl$ AND "body" = $tl$Hi {{ customer.first_name | default: 'there' }},

Thank you for shopping with {{ shop.name }}. Your order {{ order.name }} is confirmed and we are getting it ready.

We will let you know as soon as it ships.$tl$;
UPDATE "Flow" SET "subject" = $tl${{ 'check_in.subject' | t: order: order.name }}$tl$, "body" = $tl${{ 'email.greeting' | t: name: customer.first_name }}

{{ 'check_in.arrived' | t: shop: shop.name }}

{{ 'check_in.help' | t }}$tl$
WHERE "key" = $tl$check_in$tl$ AND "subject" = $tl$How is everything with your order {{ order.name }}?$tl$ AND "body" = $tl$Hi {{ customer.first_name | default: 'there' }},

Your order from {{ shop.name }} should have arrived a couple of days ago. How is it working for you?

If anything is not right, just reply to this email: a real person will help.$tl$;
UPDATE "Flow" SET "subject" = $tl${{ 'shipping_delay.subject' | t: order: order.name }}$tl$, "body" = $tl${{ 'email.greeting' | t: name: customer.first_name }}

{{ 'shipping_delay.late' | t: order: order.name, reason: delay.reason }}{% if delay.expected_on %} {{ 'shipping_delay.expected' | t: date: delay.expected_on }}{% endif %}

{% if discount.code %}{{ 'shipping_delay.apology_code' | t: value: discount.value, code: discount.code, expires: discount.expires_on }}{% else %}{{ 'shipping_delay.apology' | t }}{% endif %}

{{ 'email.reply_for_help' | t }}$tl$
WHERE "key" = $tl$shipping_delay$tl$ AND "subject" = $tl$An update on your order {{ order.name }}$tl$ AND "body" = $tl$Hi {{ customer.first_name | default: 'there' }},

We want to be upfront with you: your order {{ order.name }} is running late, because {{ delay.reason }}.{% if delay.expected_on %} The new expected delivery date is {{ delay.expected_on }}.{% endif %}

{% if discount.code %}We are sorry for the wait. Here is {{ discount.value }} off your next order with the code {{ discount.code }}, valid until {{ discount.expires_on }}.{% else %}We are sorry for the wait, and we are keeping an eye on it for you.{% endif %}

If you have any question, just reply to this email.$tl$;
UPDATE "Flow" SET "subject" = $tl${{ 'review_request.subject' | t: shop: shop.name }}$tl$, "body" = $tl${{ 'email.greeting' | t: name: customer.first_name }}

{{ 'review_request.ask' | t }}$tl$
WHERE "key" = $tl$review_request$tl$ AND "subject" = $tl$How do you like your purchase from {{ shop.name }}?$tl$ AND "body" = $tl$Hi {{ customer.first_name | default: 'there' }},

Would you take a minute to review what you bought? Your honest opinion helps other shoppers.$tl$;
UPDATE "Flow" SET "subject" = $tl${{ 'nps.subject' | t: shop: shop.name }}$tl$, "body" = $tl${{ 'nps.question' | t: shop: shop.name }}$tl$
WHERE "key" = $tl$nps$tl$ AND "subject" = $tl$One quick question from {{ shop.name }}$tl$ AND "body" = $tl$How likely are you to recommend {{ shop.name }} to a friend or colleague?$tl$;
UPDATE "Flow" SET "subject" = $tl${{ 'points_earned.subject' | t: points: points.approved }}$tl$, "body" = $tl${{ 'email.greeting' | t: name: customer.first_name }}

{{ 'points_earned.approved' | t: points: points.approved, order: order.name }} {{ 'points_earned.balance' | t: balance: points.balance }}$tl$
WHERE "key" = $tl$points_earned$tl$ AND "subject" = $tl$Your {{ points.approved }} points are ready$tl$ AND "body" = $tl$Hi {{ customer.first_name | default: 'there' }},

{{ points.approved }} points from order {{ order.name }} are now yours. Your balance is {{ points.balance }}.$tl$;
